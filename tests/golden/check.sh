#!/bin/sh
# check.sh PAIBAN MODE INPUT EXPECTED: compares `PAIBAN --dump=MODE INPUT` with the
# golden file EXPECTED; with UPDATE_GOLDEN=1 it rewrites EXPECTED instead.
set -u
bin=$1 mode=$2 input=$3 expected=$4
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$bin" --dump="$mode" "$input" >"$actual" 2>/dev/null
status=$?
if [ "$status" -ne 0 ]; then
    echo "paiban --dump=$mode $input exited with $status" >&2
    "$bin" --dump="$mode" "$input" >/dev/null
    exit 1
fi
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$actual" "$expected"
    echo "updated $expected"
    exit 0
fi
if ! diff -u "$expected" "$actual" >&2; then
    echo "golden mismatch: $expected (rerun with UPDATE_GOLDEN=1 after checking the diff)" >&2
    exit 1
fi
