# fish completion for httpstatus
set -l cmds search list serve check lint http vendor iis ftp ws
set -l fields code key namespace constant phrase phrase_zh state spec url summary detail vendor registered class cacheable body_allowed retryable requires expects aliases

complete -c httpstatus -f
complete -c httpstatus -s l -l lang -x -a 'en zh' -d 'Language of the text'
complete -c httpstatus -s j -l json -d 'Print one JSON array of results'
complete -c httpstatus -s b -l brief -d 'Card and summary only'
complete -c httpstatus -s u -l url -d 'Print the link to the specification'
complete -c httpstatus -s p -l field -x -a "$fields" -d 'Print one field per record'
complete -c httpstatus -l color -d 'Force colour'
complete -c httpstatus -l no-color -d 'Never colour'
complete -c httpstatus -s h -l help -d 'Show help'
complete -c httpstatus -s V -l version -d 'Show the version'

complete -c httpstatus -n "not __fish_seen_subcommand_from $cmds" -a search -d 'Full-text search'
complete -c httpstatus -n "not __fish_seen_subcommand_from $cmds" -a list -d 'List codes or classes'
complete -c httpstatus -n "not __fish_seen_subcommand_from $cmds" -a serve -d 'Run the HTTP test server'
complete -c httpstatus -n "not __fish_seen_subcommand_from $cmds" -a 'http vendor iis ftp ws' -d 'Namespace'
complete -c httpstatus -n "not __fish_seen_subcommand_from $cmds" -a '1xx 2xx 3xx 4xx 5xx' -d 'Class'
complete -c httpstatus -n "__fish_seen_subcommand_from list" -a 'http vendor iis ftp ws classes all'
complete -c httpstatus -n "not __fish_seen_subcommand_from $cmds" -a check -d 'Request a URL, explain and lint each hop'
complete -c httpstatus -n "not __fish_seen_subcommand_from $cmds" -a lint -d 'Lint responses (raw, curl -i/-v, HAR)'
complete -c httpstatus -n "__fish_seen_subcommand_from check lint" -l json -d 'JSON output'
complete -c httpstatus -n "__fish_seen_subcommand_from check lint" -l fail-on -x -a 'error warning info' -d 'Exit 1 at this severity'
complete -c httpstatus -n "__fish_seen_subcommand_from check lint" -l severity -x -a 'error warning info' -d 'Show this severity or worse'
complete -c httpstatus -n "__fish_seen_subcommand_from check" -l http1.1 -d 'Use HTTP/1.1'
complete -c httpstatus -n "__fish_seen_subcommand_from check" -l http2 -d 'Use HTTP/2'
complete -c httpstatus -n "__fish_seen_subcommand_from check" -l cacert -r -F -d 'CA certificates'
complete -c httpstatus -n "__fish_seen_subcommand_from check" -l max-redirs -x -d 'Most redirects followed'
complete -c httpstatus -n "__fish_seen_subcommand_from lint" -l rules -d 'List the rule catalogue'
complete -c httpstatus -n "__fish_seen_subcommand_from lint" -F
