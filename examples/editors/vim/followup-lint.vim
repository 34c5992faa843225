" followup-lint in Vim through ALE (dense-analysis/ale): diagnostics as you
" type, :ALEHover for the rule behind a finding, :ALECodeAction for fixes.
"
" Source this file from your vimrc once ALE is on 'runtimepath', e.g.:
"     packadd! ale
"     source ~/.vim/followup-lint.vim
" It needs `followup-lint` on PATH (or set g:followup_lint_executable).

let g:followup_lint_executable = get(g:, 'followup_lint_executable', 'followup-lint')

" The language server's root: the folder of the nearest .followup-lint.yaml,
" else the draft's own folder.
function! FollowupLintRoot(buffer) abort
    let l:config = ale#path#FindNearestFile(a:buffer, '.followup-lint.yaml')

    return !empty(l:config) ? fnamemodify(l:config, ':h') : expand('#' . a:buffer . ':p:h')
endfunction

for s:filetype in ['mail', 'text', 'markdown', 'html']
    call ale#linter#Define(s:filetype, {
    \   'name': 'followup_lint',
    \   'lsp': 'stdio',
    \   'executable': {buffer -> g:followup_lint_executable},
    \   'command': '%e lsp',
    \   'project_root': function('FollowupLintRoot'),
    \})
endfor

" ALE runs no linter on plain text unless told to.
let g:ale_linters = get(g:, 'ale_linters', {})
let g:ale_linters.text = get(g:ale_linters, 'text', []) + ['followup_lint']
