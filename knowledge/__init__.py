"""What the product knows on top of retrieval: cited answers and what they are made of (`answer`, with
`questions`, `named_documents`, `duties`, `lead_answer`, `evidence`), their question kinds (`policy`,
`scope`), the citation graph (`graph`), tasks and agencies (`tasks`), the known documents and the draft
checker (`catalog`, `check`)."""
