"""Operations on a data folder: one writer across processes (`lock`), write work in a process of its own
(`jobs`), checking and repairing the store against the index (`doctor`)."""
