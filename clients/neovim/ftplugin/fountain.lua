-- Tree-sitter highlighting and folding for Fountain buffers, from the grammar that
-- `pip install scriptlens` compiled into the package.
require("scriptlens.treesitter").attach(0)
