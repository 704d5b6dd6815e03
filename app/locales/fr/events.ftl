# The event catalogue.

events-lead = Tous les événements que vos points de terminaison peuvent recevoir : leurs champs, et un exemple de leur charge utile.
events-search-aria = Rechercher dans le catalogue
events-search-label = Rechercher des événements
events-search-placeholder = Nom, description ou champ
events-search = Rechercher
events-empty-heading = Aucun type d’événement pour l’instant
events-empty = Le produit n’a pas encore publié ses événements ici. Les points de terminaison qui acceptent tous les événements les recevront dès leur apparition.
events-match-count = { $found ->
    [one] { $found } type d’événement sur { $total } correspond.
   *[other] { $found } types d’événements sur { $total } correspondent.
}
events-no-match-heading = Aucun type d’événement ne correspond
events-no-match = Recherchez une partie d’un nom (invoice), un champ (customer_id) ou un mot d’une description.
events-category-other = Autres
events-deprecated = Obsolète
events-no-schema = Aucun schéma n’est publié pour cet événement : voyez l’exemple.
events-fields-of = Champs de { $name }
events-always = Toujours
events-optional = Facultatif
events-example = Exemple de charge utile
events-copy-example = Copier l’exemple de { $name }
events-json-schema = Schéma JSON
