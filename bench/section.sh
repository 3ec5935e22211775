#!/bin/sh
# section.sh NAME FILE: put FILE, which starts with "<!-- NAME" and ends with
# "<!-- /NAME -->", into bench/RESULTS.md in place of the section of that
# name, or at the end when there is none (startup.sh and bounds.sh write
# their parts this way; bench.sh writes the file anew).
set -eu
name=$1 file=$2
res=$(cd "$(dirname "$0")" && pwd)/RESULTS.md
if [ -f "$res" ] && grep -q "^<!-- $name" "$res"; then
    awk -v f="$file" -v open="^<!-- $name" -v shut="^<!-- /$name -->" '
        $0 ~ open { while ((getline l < f) > 0) print l; skip = 1; next }
        $0 ~ shut { skip = 0; next }
        !skip' "$res" > "$res.tmp"
    mv "$res.tmp" "$res"
else
    { [ -f "$res" ] && echo; cat "$file"; } >> "$res"
fi
