"""The directory import: units, people and teams from one XLSX or CSV file.

Pure modules (no Django): ``columns`` (the file format), ``cells`` (cell
parsing), ``read`` (XLSX/CSV to plain rows), ``validate`` and ``treecheck``
(row checks and the merged tree), ``plan`` (what would change). Django
modules: ``snapshot`` (the directory as plain data), ``apply`` (one
transaction), ``messages`` (error codes to translated text), ``service``
(the verbs ``start_directory_import`` and ``run_directory_import``) and
``queries``.

This package ``__init__`` imports nothing, so importing a pure module never
pulls Django in.
"""
