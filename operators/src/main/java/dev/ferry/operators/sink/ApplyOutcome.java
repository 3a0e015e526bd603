package dev.ferry.operators.sink;

/** What happened to one committable at the target (ChangeApplier, DdlApplier, TranslatedDdlApplier). */
enum ApplyOutcome { APPLIED, ALREADY_APPLIED, EMPTY, DDL_APPLIED, DDL_ALREADY_SATISFIED, DDL_HELD }
