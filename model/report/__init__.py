"""«Отчёт о профессиональной деятельности»: the record, what it prints, and its PDF and DOCX."""
