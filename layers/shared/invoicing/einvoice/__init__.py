"""E-invoices: a finalized document as EN 16931 data (UN/CEFACT CII, profile EN 16931) and as a
Factur-X PDF/A-3 carrying it. It imports the domain only; in the package, the renderer alone imports it."""
