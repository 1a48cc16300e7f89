# pb_warnings(target): the project's warning set; -Werror with PB_WERROR=ON (CI).
function(pb_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wpointer-arith -Wcast-qual -Wwrite-strings -Wformat=2 -Wundef -Wvla
    -Wno-unused-parameter -Wno-missing-field-initializers)
  if(PB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
