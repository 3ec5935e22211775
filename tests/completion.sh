#!/bin/sh
# The bash completion (tools/zimu.bash): the words it proposes for a few
# partial command lines, taken from build/zimu (so from the library's
# lists); and `make install` puts it where bash-completion looks, `make
# uninstall` takes it away. Prints the first wrong line and fails. Run from
# the top of the tree after `make`.
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "completion: $*"; exit 1; }
command -v bash >/dev/null || fail "no bash"

# complete WORD... : the words proposed for the last one, on one line
complete() {
    (cd "$tmp" && PATH="$top/build:$PATH" bash -c '
        source "$0" || exit 1
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(x)
        _zimu || exit 1
        echo "${COMPREPLY[*]}"' "$top/tools/zimu.bash" "$@")
}
expect() {
    want=$1; shift
    got=$(complete "$@") || fail "'$*': the function failed"
    [ "$got" = "$want" ] || fail "'$*' gives '$got', not '$want'"
}
# the library's own lists, in its order
lib_names() { "$top/build/zimu" help --names "$1" | tr '\n' ' ' | sed 's/ $//'; }
[ "$(lib_names safe-area)" = "douyin kuaishou tiktok reels channels xiaohongshu none" ] ||
    fail "safe areas: $(lib_names safe-area)"

expect "burn beats batch" zimu b
expect "preview" zimu p
expect "--version" zimu --v
expect "preview" zimu help pr
expect "--style --style-set" zimu burn --sty
expect "--safe-area" zimu preview --saf
expect "" zimu convert --pre           # --preset is not convert's
expect "--preset" zimu flash --pre
expect "--json" zimu beats --js
expect "--dry-run" zimu batch --dr
expect "flash" zimu burn --style fl
expect "box bubble" zimu burn --style=b
expect "box bubble" zimu burn --style = b
expect "$(lib_names safe-area)" zimu burn --safe-area ""
expect "douyin" zimu batch --safe-area do
expect "auto keep pad blur crop" zimu preview --fit ""
expect "veryfast veryslow" zimu burn --preset very
expect "s2t s2tw s2twp s2hk" zimu convert --chinese s2
expect "warn error" zimu burn --missing-glyphs ""
expect "tl tr" zimu burn --logo-corner t
expect "keep merge drop" zimu burn --overlap ""
expect "" zimu burn -s ""                 # a file name: bash's own
expect "" zimu burn in.mp4 -o out         # a file name
# the styles are the library's presets, in its order
[ "$(lib_names style | cut -d' ' -f1-4)" = "classic box news flash" ] ||
    fail "style names: $(lib_names style)"

# every command the usage in 'zimu help' shows is completed, and only those
help_cmds=$("$top/build/zimu" help | sed -n 's/^  zimu \([a-z][a-z]*\).*/\1/p' | sort -u | tr '\n' ' ')
list_cmds=$("$top/build/zimu" help --names commands | sort | tr '\n' ' ')
[ "$help_cmds" = "$list_cmds" ] ||
    fail "'zimu help' shows '$help_cmds', the completion offers '$list_cmds'"
# every option offered is one the command takes
for cmd in $list_cmds; do
    for opt in $("$top/build/zimu" help --names options "$cmd"); do
        err=$(cd "$tmp" && "$top/build/zimu" "$cmd" "$opt" </dev/null 2>&1 >/dev/null)
        case "$err" in *"unknown option"* | *"not used by"*)
            fail "'zimu $cmd' offers $opt but refuses it: $err" ;;
        esac
    done
done

# installed where bash-completion finds it, and taken away again
make -s --no-print-directory -C "$top" install PREFIX="$tmp/prefix" >/dev/null ||
    fail "make install failed"
f="$tmp/prefix/share/bash-completion/completions/zimu"
cmp -s "$f" "$top/tools/zimu.bash" || fail "make install did not install $f"
make -s --no-print-directory -C "$top" uninstall PREFIX="$tmp/prefix" ||
    fail "make uninstall failed"
[ ! -e "$f" ] || fail "make uninstall left $f"
echo ok
