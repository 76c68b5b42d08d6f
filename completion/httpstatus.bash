# bash completion for httpstatus
_httpstatus() {
  local cur prev words
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  case $prev in
    --lang|-l) COMPREPLY=($(compgen -W "en zh" -- "$cur")); return ;;
    --field|-p) COMPREPLY=($(compgen -W "code key namespace constant phrase phrase_zh state spec url summary detail vendor registered class cacheable body_allowed retryable requires expects aliases" -- "$cur")); return ;;
    list) COMPREPLY=($(compgen -W "http vendor iis ftp ws classes all" -- "$cur")); return ;;
  esac
  if [[ ${COMP_WORDS[1]} == check || ${COMP_WORDS[1]} == lint ]]; then
    case $prev in
      --fail-on|--severity) COMPREPLY=($(compgen -W "error warning info" -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "$(httpstatus "${COMP_WORDS[1]}" --help 2>/dev/null | grep -oE -- '--[a-z0-9.-]+' | sort -u)" -- "$cur"))
    elif [[ ${COMP_WORDS[1]} == lint ]]; then
      COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return
  fi
  if [[ ${COMP_WORDS[1]} == serve ]]; then
    COMPREPLY=($(compgen -W "$(httpstatus serve --help 2>/dev/null | grep -oE -- '--[a-z-]+' | sort -u)" -- "$cur"))
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "--lang --json --brief --url --field --color --no-color --help --version" -- "$cur"))
  elif [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "search list serve check lint http vendor iis ftp ws 1xx 2xx 3xx 4xx 5xx" -- "$cur"))
  fi
}
complete -F _httpstatus httpstatus
