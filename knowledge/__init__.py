"""What the product knows on top of retrieval: cited answers and their question kinds (`answer`, `policy`,
`scope`), the citation graph (`graph`), tasks and agencies (`tasks`), the known documents and the draft
checker (`catalog`, `check`)."""
