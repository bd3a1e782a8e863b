//! French catalog.

use super::Key::{self, *};

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Tagline => "Discutez en XMPP depuis votre navigateur.",
        SignInTitle => "Connexion",
        Address => "Adresse",
        AddressPlaceholderFull => "utilisateur@example.org",
        AddressPlaceholderUser => "nom d’utilisateur",
        Password => "Mot de passe",
        Advanced => "Options avancées",
        WebSocketUrl => "URL WebSocket",
        WebSocketUrlHint => "Facultatif. Seules les adresses chiffrées wss:// sont acceptées.",
        SignIn => "Se connecter",
        SigningIn => "Connexion…",
        Language => "Langue",
        ConfigLoading => "Chargement des réglages…",
        StateConnecting => "Connexion",
        StateOnline => "En ligne",
        StateReconnecting => "Reconnexion",
        StateOffline => "Hors ligne",
        MyStatus => "Mon statut",
        ShowAvailable => "Disponible",
        ShowAway => "Absent",
        ShowDnd => "Ne pas déranger",
        ShowXa => "Absent pour longtemps",
        ShowUnavailable => "Hors ligne",
        Logout => "Se déconnecter",
        Chats => "Discussions",
        NoChats => "Aucune discussion pour l’instant.",
        Contacts => "Contacts",
        FilterContacts => "Filtrer les contacts",
        NoContacts => "Votre liste de contacts est vide.",
        NoMatches => "Aucun contact ne correspond.",
        Unread => "non lus",
        Back => "Retour",
        PickConversation => "Choisissez un contact ou une discussion pour commencer.",
        NoMessages => "Aucun message pour l’instant. Dites bonjour !",
        Typing => "est en train d’écrire…",
        MessageInput => "Message",
        MessagePlaceholder => "Écrivez un message…",
        Send => "Envoyer",
        Dismiss => "Fermer",
        MessageFailed => "Un message n’a pas pu être remis",
        Notifications => "Notifications",
        MissingPassword => "Saisissez votre mot de passe.",
        ErrWrongCredentials => "Adresse ou mot de passe incorrect. Vérifiez-les et réessayez.",
        ErrAuthFailed => "Le serveur a refusé la connexion",
        ErrSaslInvalidPassword => "Le mot de passe contient des caractères inutilisables.",
        ErrSaslInvalidUsername => "Le nom d’utilisateur contient des caractères inutilisables.",
        ErrSaslProtocol => "Le serveur a envoyé un message d’authentification invalide",
        ErrSaslNonce => "La réponse d’authentification du serveur ne correspond pas à la demande. Réessayez plus tard.",
        ErrSaslIterations => "Le serveur a demandé un nombre dangereux de tours de hachage du mot de passe",
        ErrSaslSignature => {
            "Le serveur n’a pas pu prouver qu’il connaît votre mot de passe : ce n’est peut-être pas votre serveur. Ne réessayez pas avant que votre administrateur l’ait vérifié."
        }
        ErrSaslServer => "Le serveur a refusé la connexion",
        ErrNoMechanism => "Le serveur ne propose aucune méthode de connexion sûre pour Parley. Il propose",
        ErrStream => "Le serveur a fermé la connexion",
        ErrFrameTooLarge => "Le serveur a envoyé un message plus grand que permis, Parley s’est déconnecté (octets)",
        ErrTimeout => "Le serveur n’a pas répondu à temps. Vérifiez votre connexion et réessayez.",
        ErrBindFailed => "Le serveur a refusé d’ouvrir la session",
        ErrProtocol => "Le serveur n’a pas respecté le protocole",
        ErrConnectionLost => "La connexion au serveur a été perdue. Reconnectez-vous.",
        ErrRedirect => "Le serveur a redirigé la connexion vers",
        ErrRedirectRefused => "Le serveur a demandé de se reconnecter à une adresse que Parley refuse.",
        ErrTooManyRedirects => "Le serveur a redirigé la connexion plus d’une fois ; Parley a cessé de suivre.",
        ErrUnreachable => "Le serveur est injoignable. Vérifiez l’adresse et votre réseau, puis réessayez.",
        ErrAddressEmpty => "Saisissez votre adresse.",
        ErrAddressMissingDomain => "Saisissez votre adresse complète, par exemple utilisateur@example.org.",
        ErrAddressWrongDomain => "Seules les adresses de ce domaine peuvent se connecter ici",
        ErrAddressMissingLocalpart => "L’adresse doit avoir un nom d’utilisateur avant le @.",
        ErrAddressInvalid => "Cette adresse n’est pas valide",
        ErrUrlInsecure => "Les connexions ws:// non chiffrées sont refusées. Utilisez une adresse wss://.",
        ErrUrlNotWebSocket => "Ce n’est pas une adresse WebSocket ; utilisez wss://. Le schéma était",
        ErrUrlMalformed => "L’adresse WebSocket est mal formée",
        ErrInsecurePage => {
            "Cette page n’a pas été chargée de façon sûre (https) : Parley n’y enverra pas votre mot de passe. Ouvrez-la en https."
        }
        ErrConfigInvalid => "Le fichier config.json du site est invalide ; demandez à son administrateur de le corriger",
        ErrConfigUrl => "Le fichier config.json du site contient un websocket_url inutilisable.",
        ErrConfigEmptyDomain => "Le fichier config.json du site contient un champ vide",
        ErrDiscoveryNotFound => {
            "Impossible de trouver l’adresse WebSocket de ce serveur. Saisissez-la dans les options avancées (wss://…)."
        }
        ErrDiscoveryOnlyInsecure => {
            "Ce serveur ne propose que des connexions ws:// non chiffrées, que Parley refuse."
        }
        ErrDiscoveryNoWebSocket => {
            "Ce serveur ne propose pas XMPP sur WebSocket. Saisissez une adresse dans les options avancées."
        }
        ErrSendEmpty => "Le message est vide.",
        ErrSendNotOnline => "Non connecté : le message n’a pas été envoyé.",
        ErrSendInvalidText => "Le message ne peut pas être envoyé",
        ErrEntropy => "Ce navigateur ne fournit pas de nombres aléatoires sûrs : une connexion sûre est impossible.",
        ErrBrowser => "Le navigateur a refusé la connexion",
        AddContact => "Ajouter un contact",
        ContactAddress => "Adresse",
        ContactName => "Nom (facultatif)",
        AddContactSubmit => "Ajouter",
        Cancel => "Annuler",
        SubscriptionRequests => "Demandes de contact",
        SubscriptionRequestText => "souhaite vous ajouter à ses contacts",
        Approve => "Accepter",
        Deny => "Refuser",
        RosterChangeFailed => "La liste de contacts n’a pas pu être modifiée",
        ErrNotXmpp => "Cette adresse répond, mais pas comme un serveur XMPP sur WebSocket (pas de sous-protocole « xmpp »). Vérifiez l’adresse WebSocket.",
        RenameContact => "Renommer",
        RemoveContact => "Supprimer",
        ContactNewName => "Nouveau nom",
        Save => "Enregistrer",
        ConfirmRemoveContact => "Supprimer ce contact ? Vous ne verrez plus vos présences respectives.",
    }
}
