#compdef httpstatus
# zsh completion for httpstatus (installed as _httpstatus in site-functions)

_httpstatus() {
  local -a commands namespaces fields
  commands=(
    'search:full-text search (English or Chinese)'
    'list:list a namespace, every namespace or the classes'
    'serve:run the HTTP test server'
    'check:request a URL, explain and lint each hop'
    'lint:lint responses (raw, curl -i/-v, HAR)'
    'http:official HTTP codes'
    'vendor:unofficial (vendor) HTTP codes'
    'iis:IIS sub-status codes'
    'ftp:FTP reply codes'
    'ws:WebSocket close codes'
  )
  namespaces=(http vendor iis ftp ws classes all)
  fields=(code key namespace constant phrase phrase_zh state spec url summary detail vendor
          registered class cacheable body_allowed retryable requires expects aliases)
  if [[ ${words[2]} == check || ${words[2]} == lint ]]; then
    compadd -- ${(u)${(M)${(f)"$(httpstatus ${words[2]} --help 2>/dev/null)"}##*--[a-z0-9.-]##}##* }
    [[ ${words[2]} == lint ]] && _files
    return
  fi
  if [[ ${words[2]} == serve ]]; then
    _arguments '*: :->serve'
    compadd -- ${(u)${(M)${(f)"$(httpstatus serve --help 2>/dev/null)"}##*--[a-z-]##}##* }
    return
  fi
  _arguments -s \
    '(-l --lang)'{-l,--lang}'[language of the text]:language:(en zh)' \
    '(-j --json)'{-j,--json}'[print one JSON array of results]' \
    '(-b --brief)'{-b,--brief}'[card and summary only]' \
    '(-u --url)'{-u,--url}'[print the link to the specification]' \
    '(-p --field)'{-p,--field}'[print one field per record]:field:('"${fields[*]}"')' \
    '--color[force colour]' '--no-color[never colour]' \
    '(- *)'{-h,--help}'[show help]' '(- *)'{-V,--version}'[show the version]' \
    '1: :->first' '*: :->rest'
  case $state in
    first) _describe -t commands 'command' commands
           compadd -- 1xx 2xx 3xx 4xx 5xx ;;
    rest) [[ ${words[2]} == list ]] && compadd -- $namespaces ;;
  esac
}

_httpstatus "$@"
