#!/bin/sh
# Numbers never follow the locale (tests/check_locale.c shows why): in lib/,
# numbers are printed and read as text only through lib/base/cnum.c's
# helpers (zimu__snprintf, zimu__vsnprintf, zimu__strtod, or
# zimu__sb_printf, zimu__fail and zimu__log, which use them). This finds
# what would bypass them:
#   - strtod/strtof/strtold/atof, and a scanf with a %f/%e/%g/%a;
#   - vsnprintf/vsprintf/vfprintf/vasprintf (their format could hold any
#     number);
#   - printf/fprintf/sprintf/snprintf/dprintf/asprintf with %f/%e/%g/%a.
# Each finding is printed as file:line: call. Exit 1 if any.
cd "$(dirname "$0")/.." || exit 2
found=$(find lib -name '*.c' ! -path lib/base/cnum.c | sort | xargs perl -0777 -ne '
    my $src = $_;
    # comments out, keeping line numbers
    $src =~ s{/\*.*?\*/}{ my $c = $&; $c =~ s/[^\n]//g; $c }gse;
    $src =~ s{//[^\n]*}{}g;
    my $float = qr/%[-+ #0-9.*]*(?:hh|h|ll|l|L|q|j|z|t)?[fFeEgGaA]/;
    while ($src =~ /(?<![A-Za-z0-9_])(strto(?:d|f|ld)|atof|v?[sf]?scanf|vsn?printf|vf?printf|vasprintf|v?d?printf|fprintf|sn?printf|asprintf)\s*\(/g) {
        my ($name, $at) = ($1, $-[0]);
        # the call text up to its closing parenthesis (strings skipped)
        my $depth = 0; my $i = pos($src) - 1; my $args = "";
        while ($i < length $src) {
            my $ch = substr($src, $i, 1);
            if ($ch eq q(")) {
                my $j = $i + 1;
                $j++ while $j < length $src && substr($src, $j, 1) ne q(") && (substr($src, $j, 1) ne "\\" || $j++);
                $args .= substr($src, $i, $j - $i + 1); $i = $j + 1; next;
            }
            $depth++ if $ch eq "(";
            $depth-- if $ch eq ")";
            $args .= $ch; $i++;
            last if $depth == 0;
        }
        my $strings = join "", ($args =~ /"((?:[^"\\]|\\.)*)"/g);
        my $bad = $name =~ /^(strto|atof)/ || $name =~ /^v(sn?|f|as)printf$/ ||
                  ($name =~ /scanf|printf/ && $strings =~ $float);
        next unless $bad;
        my $line = 1 + (substr($src, 0, $at) =~ tr/\n//);
        (my $show = substr($args, 0, 70)) =~ s/\s+/ /g;
        print "$ARGV:$line: $name$show\n";
    }
')
if [ -n "$found" ]; then
    printf "%s\n" "$found"
    echo "c_numbers.sh: these print or read numbers in the program's locale;"
    echo "use zimu__snprintf/zimu__vsnprintf/zimu__strtod (lib/base/cnum.c)"
    exit 1
fi
