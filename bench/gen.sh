#!/bin/sh
# Make the benchmark inputs in directory $1 (default bench/out):
#   clip.mp4      1080x1920, 30 fps, $BENCH_SECONDS s (default 20), H.264
#                 yuv420p BT.709 limited range (tagged, so both tools read
#                 the same colours) + AAC; made once and kept
#   static.srt    ordinary Chinese caption lines, a new one every 2.5 s,
#                 each short enough to fit on one line at 1080 wide
#   animated.ass  PlayRes 1080x1920: a big Chinese word pops in every 0.5 s
#                 (scale pop + a move over the whole event, so the rendered
#                 image changes on every frame)
#   empty.srt     one cue far outside the clip: "no captions" baseline
# The subtitle files are rewritten on every run (cheap, deterministic).
set -eu
out=${1:-bench/out}
secs=${BENCH_SECONDS:-20}
mkdir -p "$out"

clip="$out/clip.mp4"
stamp="$out/clip.params"
params="testsrc2 1080x1920 30fps ${secs}s bt709 tv x264 veryfast crf18 g60 + sine aac128k"
if [ ! -s "$clip" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$params" ]; then
    echo "bench: generating $clip ($params)"
    rm -f "$clip" "$stamp"
    ffmpeg -nostdin -hide_banner -loglevel error -y \
        -f lavfi -i "testsrc2=size=1080x1920:rate=30:duration=$secs" \
        -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=$secs" \
        -map 0:v -map 1:a -vf "scale=out_color_matrix=bt709:out_range=tv" \
        -colorspace bt709 -color_primaries bt709 -color_trc bt709 -color_range tv \
        -c:v libx264 -preset veryfast -crf 18 -g 60 -pix_fmt yuv420p \
        -c:a aac -b:a 128k -movflags +faststart "$out/clip.tmp.mp4"
    mv "$out/clip.tmp.mp4" "$clip"
    echo "$params" > "$stamp"
fi

# hh:mm:ss,mmm (SRT) and h:mm:ss.cc (ASS) from milliseconds
srt_time() { printf '%02d:%02d:%02d,%03d' $(($1 / 3600000)) $(($1 / 60000 % 60)) \
    $(($1 / 1000 % 60)) $(($1 % 1000)); }
ass_time() { printf '%d:%02d:%02d.%02d' $(($1 / 3600000)) $(($1 / 60000 % 60)) \
    $(($1 / 1000 % 60)) $(($1 % 1000 / 10)); }

# Static subtitles: 11 Han characters at most per line (zimu's default style
# is about 60 px a character, ffmpeg's forced style the same: < 700 px).
set -- "欢迎收看本期法律小课堂" "今天我们来聊聊租房合同" "签合同之前一定要看清楚" \
    "押金和租金都要写明白" "房屋有问题及时拍照留证" "提前退租要注意违约条款" \
    "遇到纠纷可以找社区调解" "感谢收看，我们下期再见"
{
    i=0 t=0
    while [ $((t + 2400)) -le $((secs * 1000)) ]; do
        i=$((i + 1))
        eval "line=\${$(( (i - 1) % $# + 1 ))}"
        printf '%d\r\n%s --> %s\r\n%s\r\n\r\n' "$i" "$(srt_time $t)" \
            "$(srt_time $((t + 2400)))" "$line"
        t=$((t + 2500))
    done
} > "$out/static.srt"

printf '1\r\n10:00:00,000 --> 10:00:02,000\r\n%s\r\n\r\n' "不会出现" > "$out/empty.srt"

# Animated captions: one word per 0.5 s event.
set -- "注意" "合同" "押金" "看清楚" "别上当" "拍照" "留证据" "违约金" "找调解" \
    "维权" "重要" "记住" "收藏" "转发" "关注" "点赞"
{
    cat <<'EOF'
[Script Info]
ScriptType: v4.00+
PlayResX: 1080
PlayResY: 1920
WrapStyle: 2
ScaledBorderAndShadow: yes

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Pop,Noto Sans CJK SC,150,&H00FFFFFF,&H0000FFFF,&H00202020,&H80000000,-1,0,0,0,100,100,0,0,1,7,3,5,40,40,40,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
EOF
    i=0 t=0
    while [ $((t + 500)) -le $((secs * 1000)) ]; do
        eval "word=\${$((i % $# + 1))}"
        # alternate colour and height so consecutive words differ
        if [ $((i % 2)) = 0 ]; then col='\c&H00FFFFFF&' y=820; else col='\c&H0000E0FF&' y=1000; fi
        printf 'Dialogue: 0,%s,%s,Pop,,0,0,0,,{\\move(540,%d,540,%d)\\fscx140\\fscy140\\t(0,150,\\fscx100\\fscy100)\\fad(0,80)%s}%s\r\n' \
            "$(ass_time $t)" "$(ass_time $((t + 500)))" $((y + 60)) "$y" "$col" "$word"
        i=$((i + 1)) t=$((t + 500))
    done
} > "$out/animated.ass"
