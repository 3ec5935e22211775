#!/bin/sh
# make demo: a 1080x1920 clip with sound, Chinese captions burnt in.
set -e
mkdir -p demo
# The sample clip is made with the ffmpeg program (the library never runs it).
[ -f demo/sample.mp4 ] || ffmpeg -v error -y \
    -f lavfi -i "gradients=s=1080x1920:r=30:d=6:c0=0x2a6f97:c1=0x61a5c2:speed=0.02" \
    -f lavfi -i "sine=f=440:d=6:sample_rate=44100" \
    -c:v libx264 -pix_fmt yuv420p -preset veryfast -c:a aac -shortest demo/sample.mp4
cat > demo/sample.srt <<'SRT'
1
00:00:00,300 --> 00:00:02,000
欢迎收看宁安街道“红色直播间”

2
00:00:02,000 --> 00:00:04,000
今天我们来聊一聊《民法典》里的继承问题

3
00:00:04,000 --> 00:00:06,000
没有遗嘱，独生子女也不一定能继承全部财产
SRT
build/zimu burn demo/sample.mp4 -s demo/sample.srt -o demo/out.mp4 -y -q

rm -f demo/out.png
build/zimu preview demo/sample.mp4 -s demo/sample.srt -t 4.5 -o demo/out.png -q
echo "demo: captioned clip in demo/out.mp4, a captioned frame in demo/out.png"

# A stand-alone flash text (快闪) video of examples/flash.txt, its cards on
# the beats of music zimu's example program synthesises (no song can be
# shipped), and one frame of it: the third card, standing complete.
build/examples/music demo/music.wav 11 120
build/zimu flash examples/flash.txt --music demo/music.wav -o demo/flash.mp4 -y -q
rm -f demo/flash.png
build/zimu flash examples/flash.txt --music demo/music.wav --card 3 -o demo/flash.png -q
echo "demo: a flash text video in demo/flash.mp4 (music: demo/music.wav), one frame in demo/flash.png"
