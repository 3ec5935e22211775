#!/bin/sh
# Every message of the tool (text domain zimu) and of the library (libzimu)
# has a Chinese translation: the messages are extracted from the sources with
# xgettext (sources and keywords in po/<domain>/xgettext.args) and compared
# with po/<domain>/zh_CN.po by msgcmp, which counts an untranslated or fuzzy
# entry as missing. msgfmt --check also holds each translation's printf
# directives to its message's.
set -e
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for po in po/*/zh_CN.po; do
    [ -f "$po" ] || { echo "i18n: no po/<domain>/zh_CN.po"; exit 1; }
    d=$(basename "$(dirname "$po")")
    # shellcheck disable=SC2046
    xgettext --language=C --from-code=UTF-8 --add-comments=TRANSLATORS: \
        --no-location -o "$tmp/$d.pot" $(cat po/$d/xgettext.args)
    msgcmp "$po" "$tmp/$d.pot" || { echo "i18n: $po lacks the translations above"; exit 1; }
    msgfmt --check --statistics -o /dev/null "$po" 2>"$tmp/stat" || { cat "$tmp/stat"; exit 1; }
    if grep -q 'untranslated\|fuzzy' "$tmp/stat"; then
        echo "i18n: $po: $(cat "$tmp/stat")"; exit 1
    fi
    n=$((n + $(grep -c '^msgid ' "$tmp/$d.pot") - 1))
done
echo "i18n: $n messages, all translated"
