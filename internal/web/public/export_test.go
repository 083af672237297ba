package public

// ARPage lets the external tests render the ar page with data of their own.
type ARPage = arPage

// ARDesignPage lets the external tests render the ar_design page.
type ARDesignPage = arDesignPage
