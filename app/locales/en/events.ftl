# The event catalogue.

events-lead = Every event your endpoints can receive: its fields, and an example of its payload.
events-search-aria = Search the catalogue
events-search-label = Search events
events-search-placeholder = Name, description or field
events-search = Search
events-empty-heading = No event types yet
events-empty = The product has not published its events here yet. Endpoints that take all events will get them as they appear.
events-match-count = { $found } of { $total } event types match.
events-no-match-heading = No event type matches
events-no-match = Search for part of a name (invoice), a field (customer_id) or a word of a description.
events-category-other = Other
events-deprecated = Deprecated
events-no-schema = No schema is published for this event: see the example.
events-fields-of = Fields of { $name }
events-always = Always
events-optional = Optional
events-example = Example payload
events-copy-example = Copy the example of { $name }
events-json-schema = JSON Schema
