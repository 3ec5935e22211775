# bash completion for zimu(1): installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/zimu.
#
# The words are zimu's own, asked for at completion time with
# `zimu help --names ...`: the commands, the options of each command, and
# the values of the options that take one of the library's names (--style,
# --safe-area, --fit, --preset, --chinese, --missing-glyphs, --logo-corner,
# --overlap). Anything else completes as a file name.

_zimu()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev= opt= names
    local prog=${COMP_WORDS[0]}
    # the zimu being typed (build/zimu, ~/bin/zimu), else the one on PATH
    [[ $prog == */* && -x ${prog/#\~/$HOME} ]] && prog=${prog/#\~/$HOME} || prog=zimu
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()

    if ((COMP_CWORD == 1)); then
        names=$("$prog" help --names commands 2>/dev/null) || return 0
        COMPREPLY=($(compgen -W "$names --help --version" -- "$cur"))
        return 0
    fi
    local cmd=${COMP_WORDS[1]}
    if [[ $cmd == help ]]; then
        ((COMP_CWORD == 2)) &&
            COMPREPLY=($(compgen -W "$("$prog" help --names commands 2>/dev/null)" -- "$cur"))
        return 0
    fi

    # "--style=fl": bash splits it at '=' into "--style" "=" "fl"
    if [[ $cur == = ]]; then
        opt=$prev cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 2)); then
        opt=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        opt=${cur%%=*} cur=${cur#*=}
    elif [[ $cur != -* ]]; then
        opt=$prev
    fi
    if [[ $opt == --?* ]] && names=$("$prog" help --names "${opt#--}" 2>/dev/null); then
        COMPREPLY=($(compgen -W "$names" -- "$cur"))
        # a style may also be a style file
        [[ $opt == --style && $cur == *[./]* ]] && COMPREPLY+=($(compgen -f -- "$cur"))
        return 0
    fi
    if [[ $cur == -* ]]; then
        names=$("$prog" help --names options "$cmd" 2>/dev/null) || return 0
        COMPREPLY=($(compgen -W "$names" -- "$cur"))
        return 0
    fi
    # a file name: complete -o default does it
    return 0
}
complete -o default -F _zimu zimu
