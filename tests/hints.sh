#!/bin/sh
# Messages that help people fix their own mistakes: swapped video and
# captions, an output in a folder that does not exist, and "did you mean"
# for a mistyped command, option or name. Each is one line on stderr with
# the right exit status. Prints the first wrong one and fails. Run from the
# top of the tree after `make` (needs ffmpeg to make the clips).
top=$(pwd)
zimu="$top/build/zimu"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "hints: $*"; exit 1; }
cd "$tmp" || exit 1
ffmpeg -loglevel error -f lavfi -i testsrc=s=160x120:d=1:r=10 -c:v libx264 \
    -pix_fmt yuv420p lecture.mp4 || fail "ffmpeg cannot make a clip"
ffmpeg -loglevel error -f lavfi -i sine=d=1 song.m4a || fail "ffmpeg cannot make a song"
printf '1\n00:00:00,000 --> 00:00:01,000\n你好\n' > talk.srt
touch afile

# expect STATUS TEXT ARGS...: zimu ARGS fails with STATUS and one line on
# stderr that holds TEXT, and writes no output file
expect() {
    want=$1 text=$2; shift 2
    err=$("$zimu" "$@" 2>&1 >/dev/null); rc=$?
    [ "$rc" = "$want" ] || fail "'zimu $*' exits $rc, not $want: $err"
    case "$err" in *"$text"*) ;; *) fail "'zimu $*' says '$err', not '$text'" ;; esac
    [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "'zimu $*': more than one line: $err"
    [ ! -e out.mp4 ] && [ ! -e out.png ] || fail "'zimu $*' wrote an output"
}

# a video (or a song) where the captions go, captions where the video goes
expect 6 "zimu: lecture.mp4 is a video, not captions: the captions go after -s, the video first" \
    burn lecture.mp4 -s lecture.mp4 -o out.mp4
expect 6 "song.m4a is a sound file, not captions: the captions go after -s" \
    burn lecture.mp4 -s song.m4a -o out.mp4
expect 4 "zimu: talk.srt is a caption file, not a video: give the video first and the captions after -s" \
    burn talk.srt -s lecture.mp4 -o out.mp4
expect 4 "talk.srt is a caption file, not a video" preview talk.srt -s talk.srt -t 0.5 -o out.png
expect 6 "lecture.mp4 is a video, not captions: 'zimu convert' takes a caption file" \
    convert lecture.mp4 -o out.srt
expect 6 "lecture.mp4 is a video, not a flash script: give the script first" \
    flash lecture.mp4 -o out.mp4
# a caption file that merely fails to parse is not called a video
printf '1\n00:00:00,000 --> bad\n你好\n' > bad.srt
expect 6 "bad.srt:2" burn lecture.mp4 -s bad.srt -o out.mp4

# an output in a folder that does not exist, or under a file
expect 7 "zimu: out/x.mp4: the folder out does not exist" burn lecture.mp4 -s talk.srt -o out/x.mp4
expect 7 "out/x.png: the folder out does not exist" preview lecture.mp4 -s talk.srt -t 0.5 -o out/x.png
expect 7 "a/b/x.srt: the folder a/b does not exist" convert talk.srt -o a/b/x.srt
expect 7 "afile/x.mp4: afile is not a folder" burn lecture.mp4 -s talk.srt -o afile/x.mp4
mkdir clips && cp lecture.mp4 clips/
expect 7 "out/done: the folder out does not exist" batch clips -o out/done
# a manifest row with the clip and its captions swapped, either way round:
# that row fails saying so (exit 10), not "has no video stream"
mkdir -p rows && cp lecture.mp4 talk.srt song.m4a rows/
printf 'clip,subs,output\ntalk.srt,lecture.mp4,a.mp4\nlecture.mp4,lecture.mp4,b.mp4\nlecture.mp4,song.m4a,c.mp4\n' > rows/list.csv
err=$("$zimu" batch rows -o rowsout --manifest rows/list.csv 2>&1 >/dev/null); rc=$?
[ "$rc" = 10 ] || fail "a manifest with swapped columns exits $rc, not 10: $err"
for want in "list.csv:2: talk.srt is a caption file, not a video: the 'clip' column holds the video" \
            "list.csv:3: lecture.mp4 is a video, not captions: the 'subs' column holds the captions" \
            "list.csv:4: song.m4a is a sound file, not captions"; do
    case "$err" in *"$want"*) ;; *) fail "swapped manifest columns: no '$want' in: $err" ;; esac
done

# did you mean
expect 1 "unknown command 'brun'; did you mean 'burn'?" brun lecture.mp4
# a short option in the wrong case; a long option with one dash
expect 1 "unknown option '-S'; did you mean '-s'? (see 'zimu burn --help')" \
    burn lecture.mp4 -S talk.srt -o out.mp4
expect 1 "option '-subs' needs two dashes: did you mean '--subs'?" \
    burn lecture.mp4 -subs talk.srt -o out.mp4
expect 1 "option '-preset' needs two dashes: did you mean '--preset'?" \
    burn lecture.mp4 -s talk.srt -preset fast -o out.mp4
expect 1 "unknown option '--presets'; did you mean '--preset'? (see 'zimu burn --help')" \
    burn lecture.mp4 -s talk.srt -o out.mp4 --presets fast
expect 1 "unknown option '--saf-area'; did you mean '--safe-area'?" \
    batch clips -o done --saf-area douyin
expect 1 "unknown option '--jsn'; did you mean '--json'?" beats song.m4a --jsn
expect 1 "unknown option '--zzzzzz' (see" burn lecture.mp4 -s talk.srt -o out.mp4 --zzzzzz
expect 6 "style 'flsh' is neither a preset" burn lecture.mp4 -s talk.srt -o out.mp4 --style flsh
expect 6 "; did you mean 'flash'?" burn lecture.mp4 -s talk.srt -o out.mp4 --style flsh
expect 6 "safe area 'douyn' is not one of douyin, kuaishou" \
    burn lecture.mp4 -s talk.srt -o out.mp4 --safe-area douyn
expect 6 "; did you mean 'douyin'?" burn lecture.mp4 -s talk.srt -o out.mp4 --safe-area douyn
expect 1 "--fit: 'crp' is not one of auto, keep, pad, blur, crop; did you mean 'crop'?" \
    burn lecture.mp4 -s talk.srt -o out.mp4 --fit crp
expect 1 "preset 'fst' is not a libx264 preset (ultrafast ... veryslow); did you mean 'fast'?" \
    burn lecture.mp4 -s talk.srt -o out.mp4 --preset fst
expect 1 "Chinese conversion 's2tt' is not one of" burn lecture.mp4 -s talk.srt -o out.mp4 --chinese s2tt
expect 1 "; did you mean 's2t'?" burn lecture.mp4 -s talk.srt -o out.mp4 --chinese s2tt
expect 1 "'wran' is not one of warn, error; did you mean 'warn'?" \
    burn lecture.mp4 -s talk.srt -o out.mp4 --missing-glyphs wran
expect 1 "'bt' is not one of tl, tr, bl, br; did you mean" \
    burn lecture.mp4 -s talk.srt -o out.mp4 --logo-corner bt --logo lecture.mp4
expect 1 "'marge' is not one of keep, merge, drop; did you mean 'merge'?" \
    convert talk.srt -o out.srt --overlap marge
# far from every name: no guess
expect 1 "--fit: 'sideways' is not one of auto, keep, pad, blur, crop (see" \
    burn lecture.mp4 -s talk.srt -o out.mp4 --fit sideways
echo ok
