#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# check_symbols.sh NM SYMBOLS LIBTEE TA [INPUT...]
#
# Run by mk/ta_dev_kit.mk after linking a TA.  Fails, printing one line per
# symbol, when the TA (a shared object) needs a symbol that is neither
# listed in SYMBOLS (libc/symbols.txt) nor defined by LIBTEE: the symbols
# a TA built with OP-TEE's dev kit could not link against either.  The
# INPUTs (the objects and archives linked into the TA) are searched only to
# say which of them refer to each such symbol.  NM is the nm command (GNU
# or LLVM), split on blanks.
set -u
LC_ALL=C
export LC_ALL

if [ $# -lt 4 ]; then
	echo "usage: $0 NM SYMBOLS LIBTEE TA [INPUT...]" >&2
	exit 2
fi
nm=$1
symbols=$2
libtee=$3
ta=$4
shift 4

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# The last field of each line of nm output, without a version (name@VER).
names() {
	awk 'NF > 0 { sub(/@.*/, "", $NF); print $NF }'
}

sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$symbols" \
	>"$tmp/listed" || exit 2
$nm -D --defined-only "$libtee" >"$tmp/libtee.nm" || exit 2
$nm -D --undefined-only "$ta" >"$tmp/ta.nm" || exit 2
{ cat "$tmp/listed"; names <"$tmp/libtee.nm"; } | sort -u >"$tmp/allowed"
names <"$tmp/ta.nm" | sort -u >"$tmp/used"
comm -23 "$tmp/used" "$tmp/allowed" >"$tmp/bad"

status=0
while read -r sym; do
	status=1
	users=""
	for input in "$@"; do
		if $nm -u "$input" 2>/dev/null | names | grep -qxF "$sym"; then
			users="$users ${input##*/}"
		fi
	done
	where=""
	if [ -n "$users" ]; then
		where=" (used in${users})"
	fi
	echo "error: TA uses $sym, which OP-TEE's TA libc does not provide$where" >&2
done <"$tmp/bad"
exit $status
