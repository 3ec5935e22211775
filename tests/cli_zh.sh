#!/bin/sh
# The tool speaks Chinese when the locale says Chinese (LANG, LC_ALL or
# LC_MESSAGES a zh_CN locale; LANGUAGE=zh_CN with any UTF-8 locale, even
# one that is not installed) and English otherwise: help, the summary of a
# burn and of a batch, the progress line, and the errors that help people
# fix their own mistakes. The assertions are on the tool's own words, not
# on the library's (its catalogue is another text domain). build/zimu finds
# the catalogues of the build tree; an installed zimu those under its
# prefix. Numbers stay "12.5" in a German locale. Prints the first wrong
# thing and fails. Run from the top of the tree after `make`.
top=$(pwd)
zimu="$top/build/zimu"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cli_zh: $*"; exit 1; }
locale -a | grep -qi '^zh_CN\.utf-\?8$' || fail "no zh_CN.UTF-8 locale (run make deps)"
cd "$tmp" || exit 1
ffmpeg -loglevel error -f lavfi -i testsrc=s=160x120:d=1:r=10 -c:v libx264 \
    -pix_fmt yuv420p lecture.mp4 || fail "ffmpeg cannot make a clip"
printf '1\n00:00:00,000 --> 00:00:01,000\n你好\n' > talk.srt
mkdir clips && cp lecture.mp4 talk.srt clips/ && mv clips/talk.srt clips/lecture.srt

# the locale of a run: "VAR=value ..." words, everything else unset
ENVS=
z() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG $ENVS "$zimu" "$@"; }

# has TEXT WHAT OUTPUT: OUTPUT holds TEXT
has() {
    case "$3" in *"$1"*) ;; *) fail "[$ENVS] $2: no '$1' in: $3" ;; esac
}
# A name the message suggests, quoted as English ('fast') or Chinese (“fast”)
# text quotes it (the library's part of the message follows the locale too).
has_name() {
    case "$3" in *"'$1'"*|*"“$1”"*) ;; *) fail "[$ENVS] $2: no '$1' in: $3" ;; esac
}
hasnt() {
    case "$3" in *"$1"*) fail "[$ENVS] $2: '$1' in: $3" ;; esac
}

# check LANG: the words of the language (zh or en) in every message below
check() {
    lang=$1
    out=$(z help) || fail "[$ENVS] zimu help fails"
    burnhelp=$(z burn --help) || fail "[$ENVS] zimu burn --help fails"
    rm -f out.mp4 out2.mp4
    z burn lecture.mp4 -s talk.srt -o out.mp4 >/dev/null 2>err; rc=$?
    [ "$rc" = 0 ] || fail "[$ENVS] burn exits $rc: $(cat err)"
    summary=$(cat err)
    # the progress line, on a terminal (one line that \r rewrites)
    progress=$(ENVS="$ENVS" zimu="$zimu" script -qec \
        'env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG $ENVS "$zimu" burn lecture.mp4 -s talk.srt -o out2.mp4' \
        /dev/null) || fail "[$ENVS] burn on a terminal fails: $progress"
    batch=$(z batch clips -o done -y 2>&1 >/dev/null) || fail "[$ENVS] batch fails: $batch"
    convert=$(z convert talk.srt -o t.vtt -y 2>&1) || fail "[$ENVS] convert fails: $convert"
    # doctor's own words (what it checks is the library's text); it may
    # exit 6 or 9 on a machine that lacks something
    doctor=$(z doctor 2>/dev/null)
    video_as_caps=$(z burn lecture.mp4 -s lecture.mp4 -o x.mp4 2>&1)
    caps_as_video=$(z burn talk.srt -s lecture.mp4 -o x.mp4 2>&1)
    no_folder=$(z burn lecture.mp4 -s talk.srt -o nope/x.mp4 2>&1); rc=$?
    [ "$rc" = 7 ] || fail "[$ENVS] an output in a missing folder exits $rc: $no_folder"
    has "nope/x.mp4" "missing folder" "$no_folder"
    unknown_opt=$(z burn lecture.mp4 -s talk.srt -o x.mp4 --presets fast 2>&1)
    preset=$(z burn lecture.mp4 -s talk.srt -o x.mp4 --preset fsat 2>&1)
    style=$(z burn lecture.mp4 -s talk.srt -o x.mp4 --style flsh 2>&1)
    area=$(z burn lecture.mp4 -s talk.srt -o x.mp4 --safe-area douyn 2>&1)
    has_name fast "preset" "$preset"
    has_name flash "style" "$style"
    has_name douyin "safe area" "$area"
    [ ! -e x.mp4 ] || fail "[$ENVS] a failed burn wrote x.mp4"
    if [ "$lang" = zh ]; then
        has "用法：" "zimu help" "$out"
        has "退出码：" "zimu help" "$out"
        has "给短视频压制字幕" "zimu help" "$out"
        has "字幕文件（必须给出" "zimu burn --help" "$burnhelp"
        has "输出文件已存在时覆盖它" "zimu burn --help" "$burnhelp"
        has "zimu: 已写出 out.mp4（10 帧，0:01，160x120），用时 " "burn summary" "$summary"
        has "帧/秒" "burn summary" "$summary"
        has "第 10/10 帧（100%），" "progress line" "$progress"
        has "，已用 0:0" "progress line" "$progress"
        has "共 1 个片段：1 个完成，0 个无需更新，0 个跳过，0 个失败" "batch summary" "$batch"
        has "zimu: 已写出 t.vtt（1 条字幕）" "convert" "$convert"
        has "正常     libass: " "doctor" "$doctor"
        has "lecture.mp4 是视频，不是字幕：字幕写在 -s 后面，视频写在最前面" \
            "video as captions" "$video_as_caps"
        has "talk.srt 是字幕文件，不是视频：请先写视频，字幕写在 -s 后面" \
            "captions as video" "$caps_as_video"
        has "未知选项 '--presets'；您是不是想输入 '--preset'？（见 'zimu burn --help'）" \
            "unknown option" "$unknown_opt"
        has "（见 'zimu burn --help'）" "preset" "$preset"
        has "（'zimu styles' 列出了全部名称）" "style" "$style"
        has "（'zimu styles' 列出了全部名称）" "safe area" "$area"
        hasnt "Usage" "zimu help" "$out"
    else
        has "Usage:" "zimu help" "$out"
        has "Exit status:" "zimu help" "$out"
        has "subtitle file (required" "zimu burn --help" "$burnhelp"
        has "zimu: wrote out.mp4 (10 frames, 0:01, 160x120) in " "burn summary" "$summary"
        has "frame 10/10 (100%), " "progress line" "$progress"
        has ", elapsed 0:0" "progress line" "$progress"
        has "1 clips: 1 done, 0 unchanged, 0 skipped, 0 failed" "batch summary" "$batch"
        has "zimu: wrote t.vtt (1 caption)" "convert" "$convert"
        has "ok               libass: " "doctor" "$doctor"
        has "lecture.mp4 is a video, not captions: the captions go after -s, the video first" \
            "video as captions" "$video_as_caps"
        has "talk.srt is a caption file, not a video: give the video first" \
            "captions as video" "$caps_as_video"
        has "unknown option '--presets'; did you mean '--preset'? (see 'zimu burn --help')" \
            "unknown option" "$unknown_opt"
        has "(see 'zimu burn --help')" "preset" "$preset"
        has "(see 'zimu styles' for the names)" "style" "$style"
        has "(see 'zimu styles' for the names)" "safe area" "$area"
        hasnt "用法" "zimu help" "$out"
    fi
}

# which: the language the environment chooses, by the help, the summary
# of a burn and a mistyped option
which() {
    lang=$1
    out=$(z help) || fail "[$ENVS] zimu help fails"
    z burn lecture.mp4 -s talk.srt -o w.mp4 -y >/dev/null 2>err || fail "[$ENVS] burn fails"
    summary=$(cat err)
    unknown_opt=$(z burn lecture.mp4 -s talk.srt -o x.mp4 --presets fast 2>&1)
    if [ "$lang" = zh ]; then
        has "用法：" "zimu help" "$out"
        has "zimu: 已写出 w.mp4（10 帧" "burn summary" "$summary"
        has "未知选项 '--presets'；您是不是想输入 '--preset'？" "unknown option" "$unknown_opt"
    else
        has "Usage:" "zimu help" "$out"
        has "zimu: wrote w.mp4 (10 frames" "burn summary" "$summary"
        has "unknown option '--presets'; did you mean '--preset'?" "unknown option" \
            "$unknown_opt"
    fi
}

ENVS="LANG=C" check en
ENVS="LANG=zh_CN.UTF-8" check zh
ENVS="LC_ALL=zh_CN.UTF-8 LANG=C" which zh
ENVS="LANG=C LC_MESSAGES=zh_CN.UTF-8" which zh
ENVS="LANG=C.UTF-8 LANGUAGE=zh_CN" check zh
# a UTF-8 locale that is not installed: gettext alone would ignore LANGUAGE
ENVS="LANG=en_US.UTF-8 LANGUAGE=zh_CN" which zh
ENVS="LANG=de_DE.UTF-8 LANGUAGE=zh_CN:en" which zh
# LANGUAGE is ignored under the C locale (the GNU rule), and so is a
# locale that is not Chinese
ENVS="LANG=C LANGUAGE=zh_CN" which en
ENVS="LC_ALL=C LANG=zh_CN.UTF-8" which en
ENVS="LANG=de_DE.UTF-8" which en

# A Chinese line of the help is never wider than the 79 columns of the
# English one (a Chinese character takes two).
ENVS="LANG=zh_CN.UTF-8"
wide=$(for c in help burn preview convert flash batch beats doctor styles; do z help $c; done |
    python3 -c 'import sys, unicodedata as u
for line in sys.stdin.read().split("\n"):
    w = sum(2 if u.east_asian_width(c) in "WF" else 1 for c in line)
    if w > 79 and any(ord(c) > 127 for c in line): print(w, line)')
[ -z "$wide" ] || fail "help lines wider than 79 columns: $wide"

# Numbers stay in the C format in a locale that writes 12,5.
ENVS="LANG=de_DE.UTF-8"
json=$(z burn lecture.mp4 -s talk.srt --null --json) || fail "burn --json under de_DE: $json"
printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["duration"] == 1.0, d' 2>/dev/null ||
    fail "de_DE: the JSON is not read as C numbers: $json"
has '"duration": 1.000' "JSON" "$json"
case "$json" in *[0-9],[0-9]*) fail "de_DE: a decimal comma in the JSON: $json" ;; esac
out=$(z burn lecture.mp4 -s talk.srt --null 2>&1)
case "$out" in *[0-9],[0-9]*) fail "de_DE: a decimal comma in the summary: $out" ;; esac
# the tool's own number options read "." (strtod follows LC_NUMERIC)
out=$(z burn lecture.mp4 -s talk.srt --null -q --lufs -14.5 2>&1) ||
    fail "de_DE: --lufs -14.5 refused: $out"

# Installed under a prefix the program was not built for: it finds the
# catalogues under that prefix.
cd "$top" || exit 1
prefix="$tmp/prefix"
unset DESTDIR
ENVS="installed in $prefix"
make -s --no-print-directory install PREFIX="$prefix" >/dev/null || fail "make install failed"
[ -f "$prefix/share/locale/zh_CN/LC_MESSAGES/zimu.mo" ] || fail "no zimu.mo installed"
out=$(cd / && env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 "$prefix/bin/zimu" help)
has "用法：" "installed zimu help" "$out"
out=$(cd / && env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C "$prefix/bin/zimu" help)
has "Usage:" "installed zimu help" "$out"
make -s --no-print-directory uninstall PREFIX="$prefix"
echo ok
