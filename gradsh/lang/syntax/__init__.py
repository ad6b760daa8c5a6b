"""Source text to code objects: lexer, indentation, LALR driver over the Lark grammar's tables,
the tree-to-AST compiler, f-strings and the wording of syntax errors."""
