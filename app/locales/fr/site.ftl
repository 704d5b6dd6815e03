# Herald's own pages outside a company's portal: the landing page, the portal's front door, and
# the page for a path that does not exist.

site-example-request = Exemple de requête

site-home-description = Herald livre les événements d’un produit aux points de terminaison webhook que ses clients configurent : signés, relancés et consignés.
site-home-eyebrow = Livraison de webhooks auto-hébergée
site-home-lead = Herald livre les événements de votre produit aux points de terminaison HTTPS que vos clients configurent : chaque message signé, relancé quand un destinataire échoue, et chaque tentative consignée pour que rien ne se perde sans laisser de trace.
site-home-read-api = Lire la référence de l’API
site-home-open-portal = Ouvrir le portail entreprise
site-home-how-title = Comment ça marche
site-home-step-send-title = Votre produit envoie un événement
site-home-step-send-body = Votre backend publie chaque événement une seule fois sur l’API REST, avec une clé d’idempotence. Une réponse de succès signifie que Herald l’a enregistré et le livrera.
site-home-step-deliver-title = Herald le signe et le livre
site-home-step-deliver-body = Chaque point de terminaison client abonné au type d’événement le reçoit, signé avec le secret du point de terminaison (en-têtes Standard Webhooks), et les livraisons échouées sont relancées selon un calendrier.
site-home-step-control-title = Vos clients gardent la main
site-home-step-control-body = Dans le portail entreprise, ils ajoutent des points de terminaison, choisissent les événements qu’ils veulent, examinent chaque tentative, renvoient des messages et renouvellent leurs secrets.
site-home-api-title = L’API
# Around the code "/api/v1", then "Authorization: Bearer".
site-home-api-before-path = L’API REST se trouve sous
site-home-api-before-header = et suit l’API Svix : les SDK Svix officiels fonctionnent lorsqu’ils pointent vers ce serveur. Les requêtes s’authentifient avec une clé d’API dans l’en-tête
site-home-api-after-header = .
site-home-api-v1 = Applications (vos clients), points de terminaison, types d’événements et messages.
site-home-api-openapi = Le document OpenAPI qui décrit chaque opération.
site-home-api-health = Contrôle de santé pour les répartiteurs de charge et la supervision.
site-home-api-portal-access = Crée un lien à usage unique qui ouvre le portail entreprise pour un client.
site-home-sending-event = Envoyer un événement

site-portal-title = Portail entreprise · Herald
site-portal-lead = Le portail entreprise est l’endroit où vous gérez les points de terminaison webhook auxquels votre fournisseur envoie des événements : ajoutez des points de terminaison, choisissez les événements, consultez chaque tentative de livraison.
site-portal-open-heading = Ouvrez-le depuis le produit de votre fournisseur
site-portal-open-body = Le portail s’ouvre par un lien que le produit que vous utilisez crée pour vous, généralement depuis une page « Webhooks » de ses paramètres. Le lien ne fonctionne qu’une fois et expire peu après sa création : ouvrez donc le portail depuis cet endroit à chaque fois plutôt que de l’ajouter à vos favoris.
site-portal-developers-heading = Pour les développeurs du produit hôte
# Around the code "url", a field of the response.
site-portal-developers-before-url = Créez un lien depuis votre backend pour l’application du client, puis redirigez l’administrateur connecté vers le champ
site-portal-developers-after-url = de la réponse :
site-portal-described-in = La requête est décrite dans le
site-portal-openapi-document = document OpenAPI

site-not-found-title = Page introuvable · Herald
site-not-found-eyebrow = Erreur 404
site-not-found-heading = Page introuvable
site-not-found-no-page-at = Il n’y a pas de page à l’adresse
site-not-found-go-home = Aller à la présentation
