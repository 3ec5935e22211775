#!/bin/sh
# Make the sample frames of docs/styles.md: each preset rendered by
# `zimu preview` on a generated 1080x1920 clip (a lecture picture between
# two dark bands), scaled to 540x960 and stored as small palette PNGs.
# Run from the top of the tree after `make`: sh docs/styles/make.sh
set -e
ZIMU=${ZIMU:-build/zimu}
OUT=docs/styles
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The clip: dark bands above and below a light "slide" with a chart, the
# usual Douyin layout of a landscape lecture on a vertical frame.
ffmpeg -loglevel error -y -f lavfi -i "color=c=0x1F2D3D:s=1080x1920:d=4:r=25" \
    -vf "drawbox=x=0:y=656:w=1080:h=608:color=0xEDE8DF:t=fill,\
drawbox=x=90:y=720:w=900:h=14:color=0x9AA5B1:t=fill,\
drawbox=x=140:y=1020:w=110:h=180:color=0x4A7BB7:t=fill,\
drawbox=x=300:y=930:w=110:h=270:color=0x4A7BB7:t=fill,\
drawbox=x=460:y=860:w=110:h=340:color=0xD9822B:t=fill,\
drawbox=x=620:y=980:w=110:h=220:color=0x4A7BB7:t=fill,\
drawbox=x=780:y=800:w=110:h=400:color=0x4A7BB7:t=fill" \
    -c:v libx264 -qp 0 -pix_fmt yuv420p "$T/clip.mp4"

cat > "$T/talk.srt" <<'SRT'
1
00:00:00,000 --> 00:00:04,000
今天我们来讲一讲家庭理财中最容易踩的三个坑。
SRT
cat > "$T/flash.srt" <<'SRT'
1
00:00:00,000 --> 00:00:04,000
三个坑，一定要避开！
SRT
# enhanced LRC: word times for the karaoke sample
cat > "$T/words.lrc" <<'LRC'
[00:00.00]<00:00.00>今天<00:00.40>我们<00:00.80>来讲<00:01.20>家庭<00:01.60>理财<00:02.00>最容易<00:02.60>踩的<00:03.00>三个坑
LRC

shrink() {
    ffmpeg -loglevel error -y -i "$1" -vf "scale=540:960:flags=lanczos,split[a][b];\
[a]palettegen=max_colors=96:stats_mode=full[p];[b][p]paletteuse=dither=none" "$2"
}

TITLE="社区讲堂·家庭理财"
for s in classic box news; do
    $ZIMU preview "$T/clip.mp4" -s "$T/talk.srt" -t 1 -o "$T/$s.png" -y -q \
        --style $s --title "$TITLE"
    shrink "$T/$s.png" "$OUT/$s.png"
done
$ZIMU preview "$T/clip.mp4" -s "$T/flash.srt" -t 1 -o "$T/flash.png" -y -q \
    --style flash --title "$TITLE"
shrink "$T/flash.png" "$OUT/flash.png"
$ZIMU preview "$T/clip.mp4" -s "$T/words.lrc" -t 1.3 -o "$T/karaoke.png" -y -q \
    --style karaoke --title "$TITLE"
shrink "$T/karaoke.png" "$OUT/karaoke.png"
# --highlight with the classic style: only the word being spoken
$ZIMU preview "$T/clip.mp4" -s "$T/words.lrc" -t 1.3 -o "$T/highlight.png" -y -q \
    --highlight --title "$TITLE"
shrink "$T/highlight.png" "$OUT/highlight.png"
# the cover
$ZIMU preview "$T/clip.mp4" --cover -t 1 -o "$T/cover.png" -y -q \
    --style flash --title "家庭理财 三个坑"
shrink "$T/cover.png" "$OUT/cover.png"
# The flash looks (花字), each on a card over a blurred city at dusk (a
# generated stand-in for the blurred footage flash cards are laid over).
boxes=""
i=0
while [ $i -lt 12 ]; do
    x=$((i * 95 - 20)); h=$(((i * 37 % 5 + 3) * 120)); y=$((1920 - h))
    boxes="$boxes,drawbox=x=$x:y=$y:w=90:h=$h:color=0x141A2E:t=fill"
    j=0
    while [ $j -lt 7 ]; do
        wy=$((y + 40 + j * 70))
        if [ $wy -lt 1880 ] && [ $(((i + j) % 3)) -ne 0 ]; then
            boxes="$boxes,drawbox=x=$((x + 18)):y=$wy:w=20:h=30:color=0xFFC86B@0.9:t=fill"
            boxes="$boxes,drawbox=x=$((x + 52)):y=$wy:w=20:h=30:color=0xFFE7A8@0.7:t=fill"
        fi
        j=$((j + 1))
    done
    i=$((i + 1))
done
ffmpeg -loglevel error -y -f lavfi -i "gradients=s=1080x1920:c0=0x1B2A4A:c1=0x6B3F69:\
c2=0xE58B5A:x0=540:y0=0:x1=540:y1=1500:nb_colors=3:d=1:r=1" -frames:v 1 \
    -vf "format=rgb24$boxes,gblur=sigma=7" "$T/city.png"
ffmpeg -loglevel error -y -loop 1 -i "$T/city.png" -t 2 -r 25 -c:v libx264 -qp 0 \
    -pix_fmt yuv420p "$T/city.mp4"
look() { # NAME TEXT: the card TEXT ("|" breaks the line) in look NAME
    printf '1\n00:00:00,000 --> 00:00:02,000\n%s\n' "$2" | tr '|' '\n' > "$T/$1.srt"
    $ZIMU preview "$T/city.mp4" -s "$T/$1.srt" -t 1 -o "$T/$1.png" -y -q --style "$1"
    # a gradient needs more colours and a dither
    ffmpeg -loglevel error -y -i "$T/$1.png" -vf "scale=540:960:flags=lanczos,split[a][b];\
[a]palettegen=max_colors=128:stats_mode=full[p];[b][p]paletteuse=dither=bayer:bayer_scale=4" \
        "$OUT/$1.png"
}
look yellow "每周三晚8点 上直播 Live!"
look redblock "限时福利|今晚8点开抢"
look double "家庭理财 三个坑"
look glow "2026|新年快乐"
look offset "干货来了！"
look bubble "你知道吗？|存款也有风险"
look number "100|户家庭受益"
look neon "周末夜市 不见不散"
look tape "重点 记下来"
# Douyin's safe area: the zones it covers shaded red
$ZIMU preview "$T/clip.mp4" -s "$T/talk.srt" -t 1 -o "$T/safe.png" -y -q --title "$TITLE"
ffmpeg -loglevel error -y -i "$T/safe.png" -vf "\
drawbox=x=0:y=0:w=1080:h=230:color=red@0.35:t=fill,\
drawbox=x=0:y=1440:w=1080:h=480:color=red@0.35:t=fill,\
drawbox=x=907:y=230:w=173:h=1210:color=red@0.35:t=fill,\
drawbox=x=0:y=230:w=65:h=1210:color=red@0.2:t=fill" "$T/safe2.png"
shrink "$T/safe2.png" "$OUT/safe-area-douyin.png"
ls -l "$OUT"/*.png
