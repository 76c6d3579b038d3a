#!/usr/bin/env bash
# Regenerates the family files of this directory with the built closecert.
# Usage: data/patterns/regenerate.sh [path/to/closecert [output dir]]
# (defaults: build/tools/closecert/closecert, this directory; the cli tests regenerate into a
# temporary directory and compare with the committed files)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cc="${1:-$here/../../build/tools/closecert/closecert}"
out="${2:-$here}"
gen() { local file="$1"; shift; "$cc" gen "$@" --name "${file%.json}" --out "$out/$file"; }
gen lu4.json                  lu --n 4
gen butterfly8.json           butterfly --n 8
gen monarch4.json             monarch --n 4 --b 2
gen block_diagonal_n6_b2.json block_diagonal --n 6 --block 2
gen banded_n5_l1_u1.json      banded --n 5 --lower 1 --upper 1
gen nm_2_4_w8.json            nm --keep 2 --group 4 --width 8
gen random_4-6-4_s7.json      random --widths 4,6,4 --density 0.5 --seed 7
gen dense_3-4-2.json          dense --widths 3,4,2
