"""«Заявления»: the application's life from draft to decision, its delivery and its `--json`
shape.
"""
