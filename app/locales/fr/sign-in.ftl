# Password sign-in, the page a used or expired portal link lands on, and the company chooser.

sign-in-page-title = Se connecter · Herald
sign-in-lead = Gérez les webhooks de votre entreprise.
sign-in-signed-out = Vous êtes déconnecté.
sign-in-email = Adresse e-mail
sign-in-password = Mot de passe
sign-in-from-product = Vous venez de votre produit ? Ouvrez Webhooks depuis celui-ci : il vous connecte ici directement.
sign-in-missing-credentials = Saisissez votre adresse e-mail et votre mot de passe.

sign-in-link-expired-title = Lien expiré · Herald
sign-in-link-expired-heading = Ce lien a expiré : rouvrez Webhooks depuis votre produit
sign-in-link-expired-lead = Les liens vers ce portail ne fonctionnent qu’une fois, pendant peu de temps, afin que personne d’autre ne puisse les utiliser. Retournez dans le produit d’où vous venez et rouvrez sa page Webhooks : elle crée un nouveau lien.
sign-in-have-password = Vous avez un mot de passe pour ce portail ?

sign-in-companies-title = Vos entreprises · Herald
sign-in-companies-heading = Vos entreprises
sign-in-no-companies = Vous n’êtes encore membre d’aucune entreprise. Demandez à un opérateur de vous ajouter.
