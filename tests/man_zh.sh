#!/bin/sh
# The Chinese man page (docs/zimu.zh_CN.1): `make install DESTDIR=... PREFIX=/usr`
# puts it in share/man/zh_CN/man1/zimu.1 beside the English one and
# `make uninstall` removes it; it has as many sections as zimu.1 and names
# every option zimu.1 names (so the two do not drift apart); groff renders
# it without a warning.
cd "$(dirname "$0")/.." || exit 2
fail() { echo "man_zh: $*"; exit 1; }
en=zimu.1 zh=docs/zimu.zh_CN.1
[ -f "$zh" ] || fail "$zh is missing"

# Options named in a page: \-\-style\-set or \-y, after \f escapes are
# taken out (".BI \-s " FILE" "\fR, \fP\-\-subs " FILE").
options() {
    perl -ne 's/\\f[BIRP]//g; while (/(?<![\w\\-])(\\-\\-[a-z][a-z0-9]*(?:\\-[a-z0-9]+)*|\\-[a-zA-Z](?!\w))/g) { (my $o = $1) =~ s/\\-/-/g; print "$o\n" }' "$1" | sort -u
}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
options "$en" > "$tmp/en"
options "$zh" > "$tmp/zh"
[ "$(wc -l < "$tmp/en")" -gt 50 ] || fail "found only $(wc -l < "$tmp/en") options in $en"
missing=$(comm -23 "$tmp/en" "$tmp/zh")
[ -z "$missing" ] || fail "options of $en that $zh does not name:" $missing

sections() { grep -c '^\.S[HS] ' "$1"; }
[ "$(sections "$en")" = "$(sections "$zh")" ] ||
    fail "$en has $(sections "$en") sections and subsections, $zh $(sections "$zh")"

preconv -e UTF-8 "$zh" | groff -man -Tutf8 -ww -z 2> "$tmp/warn"
[ ! -s "$tmp/warn" ] || fail "groff: $(cat "$tmp/warn")"
# Rendered, it is Chinese and keeps the options as they are typed.
text=$(preconv -e UTF-8 "$zh" | groff -man -Tutf8 -P-cbou 2>/dev/null)
for want in 名称 概要 选项 退出状态 "--missing-glyphs" "--style-set K=V"; do
    case "$text" in *"$want"*) ;; *) fail "the rendered page lacks '$want'" ;; esac
done

dest="$tmp/dest"
make -s --no-print-directory install DESTDIR="$dest" PREFIX=/usr > "$tmp/log" 2>&1 ||
    fail "make install: $(tail -5 "$tmp/log")"
page="$dest/usr/share/man/zh_CN/man1/zimu.1"
[ -f "$page" ] || fail "make install did not write $page"
cmp -s "$page" "$zh" || fail "$page is not $zh"
[ -f "$dest/usr/share/man/man1/zimu.1" ] || fail "make install did not write the English page"
make -s --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr > "$tmp/log" 2>&1 ||
    fail "make uninstall: $(tail -5 "$tmp/log")"
[ ! -e "$page" ] || fail "make uninstall left $page"
echo "man_zh: $(wc -l < "$tmp/en") options, $(sections "$en") sections, installed and removed"
