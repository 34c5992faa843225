-- followup-lint in Neovim's built-in LSP client: diagnostics as you type,
-- K (hover) for the rule behind a finding, code actions for its fixes
-- (`gra` in Neovim 0.11, or :lua vim.lsp.buf.code_action()).
--
-- Copy this file to ~/.config/nvim/plugin/followup-lint.lua (or paste it into
-- init.lua).  It needs `followup-lint` on PATH.  Neovim 0.11+ uses
-- vim.lsp.config/vim.lsp.enable; Neovim 0.10 falls back to vim.lsp.start.
-- Mutt/neomutt drafts have the filetype "mail"; .txt files have "text".

local config = {
  cmd = { "followup-lint", "lsp" },
  filetypes = { "mail", "text", "markdown", "html" },
  root_markers = { ".followup-lint.yaml", ".followup-lint.yml", "pyproject.toml", ".git" },
}

if vim.fn.has("nvim-0.11") == 1 then
  vim.lsp.config("followup_lint", config)
  vim.lsp.enable("followup_lint")
else
  vim.api.nvim_create_autocmd("FileType", {
    pattern = config.filetypes,
    callback = function(args)
      vim.lsp.start({
        name = "followup_lint",
        cmd = config.cmd,
        root_dir = vim.fs.root(args.buf, config.root_markers),
      })
    end,
  })
end
