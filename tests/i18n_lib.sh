#!/bin/sh
# A program linking the uninstalled build/libzimu.so gets the library's
# messages in Chinese when it runs in zh_CN.UTF-8 (the library finds
# build/locale beside itself), whatever directory it runs in, and in
# English in the C locale. (check_i18n covers libzimu.a; example.sh the
# installed library.)
set -e
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/zh.c" <<'C'
#include <locale.h>
#include <stdio.h>
#include "zimu.h"
int main(void)
{
    setlocale(LC_ALL, "");
    zimu_subs *s = zimu_subs_new();
    zimu_subs_load_data(s, "1\nx --> y\nz\n", 12, "a.srt");
    printf("%s|%s\n", zimu_strerror(ZIMU_ESUBS), zimu_errmsg(s));
    zimu_subs_free(&s);
    return 0;
}
C
cc -Wall -Werror -I"$top/include" "$tmp/zh.c" -o "$tmp/zh" -L"$top/build" -lzimu \
    -Wl,-rpath,"$top/build"
cd "$tmp"
got=$(LC_ALL=zh_CN.UTF-8 LANGUAGE= ./zh)
want="字幕文件无法解析|a.srt:2: 时间“x”无效"
[ "$got" = "$want" ] || { echo "i18n_lib: zh_CN.UTF-8: got '$got', want '$want'"; exit 1; }
got=$(LC_ALL=C ./zh)
want="subtitle file cannot be parsed|a.srt:2: timestamp 'x' is not valid"
[ "$got" = "$want" ] || { echo "i18n_lib: C: got '$got', want '$want'"; exit 1; }
echo ok
