#!/bin/sh
# Install the Debian packages given as arguments that are not installed yet,
# and generate the locales the tests run in (zh_CN.UTF-8 for the Chinese
# messages; de_DE.UTF-8, whose decimal separator is a comma, for the check
# that numbers never follow the locale). Runs apt-get update (once) only when
# something is missing, so a machine that has everything starts at once.
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "zimu: installing Debian packages:$missing"
    $SUDO apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing ||
        exit 1
fi
LOCALES="zh_CN.UTF-8 de_DE.UTF-8"
want=""
for l in $LOCALES; do
    n=$(echo "$l" | sed 's/UTF-8/utf8/')
    locale -a 2>/dev/null | grep -qx "$n" || want="$want $l"
done
[ -z "$want" ] && exit 0
echo "zimu: generating locales:$want"
for l in $want; do
    grep -q "^$l UTF-8" /etc/locale.gen 2>/dev/null ||
        echo "$l UTF-8" | $SUDO tee -a /etc/locale.gen >/dev/null
done
$SUDO locale-gen >/dev/null
