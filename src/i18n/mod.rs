//! User-visible text in English, Russian and French.
//!
//! Every string the UI shows is a [`Key`]; each language is one catalog file holding everything
//! about it (its code, its own name, one exhaustive `match` over the keys, its plural rule and
//! counted phrases: [`en`], [`ru`], [`fr`]), so a missing translation does not compile; a
//! language is added with its file and one line in [`languages!`]. [`describe`] turns typed
//! errors into sentences. This module is pure: the browser parts (reading
//! `navigator.languages`, remembering the choice) live in the UI.

mod describe;
mod lang;
mod plural;

pub use describe::*;
pub use lang::negotiate;
pub use plural::{Counted, Plural};

/// Declares the catalogs and [`Lang`] from one list of `Variant => catalog_module`: each module
/// provides `CODE` (the BCP 47 primary tag), `NATIVE_NAME`, `text`, `plural` and `counted`.
macro_rules! languages {
    ($($variant:ident => $module:ident),+ $(,)?) => {
        $(mod $module;)+

        /// An interface language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Lang {
            $($variant),+
        }

        impl Lang {
            /// Every language, in the order the picker offers them.
            pub const ALL: [Lang; [$(stringify!($variant)),+].len()] = [$(Lang::$variant),+];

            /// The BCP 47 primary tag, used for `<html lang>` and for remembering the choice.
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $module::CODE),+
                }
            }

            /// The language's name in itself, for the language picker.
            pub fn native_name(self) -> &'static str {
                match self {
                    $(Self::$variant => $module::NATIVE_NAME),+
                }
            }

            /// The CLDR plural category of the whole number `n`.
            pub fn plural(self, n: u64) -> Plural {
                match self {
                    $(Self::$variant => $module::plural(n)),+
                }
            }
        }

        /// The text of `key` in `lang`; `const`, so that a module showing a few texts can
        /// take just those at compile time (src/first).
        pub const fn t(lang: Lang, key: Key) -> &'static str {
            match lang {
                $(Lang::$variant => $module::text(key)),+
            }
        }

        fn counted_phrase(lang: Lang, what: Counted, form: Plural) -> &'static str {
            match lang {
                $(Lang::$variant => $module::counted(what, form)),+
            }
        }
    };
}

languages! {
    En => en,
    Ru => ru,
    Fr => fr,
}

/// Declares [`Key`] and [`Key::ALL`] from one list, so the completeness tests see every key.
macro_rules! keys {
    ($($key:ident),* $(,)?) => {
        /// Every string of the UI.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key {
            $($key),*
        }

        impl Key {
            /// Every key, for the completeness tests.
            pub const ALL: &'static [Key] = &[$(Key::$key),*];
        }
    };
}

keys! {
    Tagline,
    SignInTitle,
    Address,
    AddressPlaceholderFull,
    AddressPlaceholderUser,
    Password,
    Advanced,
    WebSocketUrl,
    WebSocketUrlHint,
    SignIn,
    SigningIn,
    Language,
    Theme,
    ThemeSystem,
    ThemeLight,
    ThemeDark,
    StateConnecting,
    StateOnline,
    StateReconnecting,
    StateOffline,
    MyStatus,
    ShowAvailable,
    ShowAway,
    ShowDnd,
    ShowXa,
    ShowUnavailable,
    Logout,
    Chats,
    NoChats,
    Contacts,
    FilterContacts,
    NoContacts,
    NoMatches,
    Back,
    PickConversation,
    NoMessages,
    Typing,
    MessageInput,
    MessagePlaceholder,
    Send,
    Dismiss,
    MessageFailed,
    Notifications,
    MissingPassword,
    MissingNick,
    MissingField,
    GuestTitle,
    GuestNick,
    GuestSubmit,
    GuestUnavailable,
    ErrWrongCredentials,
    ErrAuthFailed,
    ErrSaslInvalidPassword,
    ErrSaslInvalidUsername,
    ErrSaslProtocol,
    ErrSaslNonce,
    ErrSaslIterations,
    ErrSaslSignature,
    ErrSaslServer,
    ErrNoMechanism,
    ErrStream,
    ErrHostUnknown,
    ErrServerShutdown,
    TechnicalDetails,
    ErrFrameTooLarge,
    ErrTimeout,
    ErrBindFailed,
    ErrProtocol,
    ErrConnectionLost,
    ErrRedirect,
    ErrRedirectRefused,
    ErrTooManyRedirects,
    ErrUnreachable,
    ErrAddressEmpty,
    ErrAddressMissingDomain,
    ErrAddressWrongDomain,
    ErrAddressMissingLocalpart,
    ErrAddressInvalid,
    ErrUrlInsecure,
    ErrUrlNotWebSocket,
    ErrUrlMalformed,
    ErrInsecurePage,
    ErrConfigInvalid,
    ErrConfigField,
    ErrConfigAskAdmin,
    ConfigEmpty,
    ConfigNotDomain,
    ConfigNotRoom,
    ConfigRange,
    ConfigTooMany,
    ConfigTooLong,
    ConfigUnknownLanguage,
    ConfigNotOffered,
    ConfigDuplicate,
    ConfigLogo,
    ConfigColour,
    ConfigOrigin,
    ErrDiscoveryNotFound,
    ErrDiscoveryBlocked,
    ErrDiscoveryOnlyInsecure,
    ErrDiscoveryNoWebSocket,
    ErrSendEmpty,
    ErrSendNotOnline,
    RememberDevice,
    RememberDeviceHint,
    ForgetDevice,
    KeptOnDevice,
    ForgetAccount,
    ErrStorageUnavailable,
    ErrSendInvalidText,
    ErrEntropy,
    ErrBrowser,
    AddContact,
    ContactAddress,
    ContactName,
    AddContactSubmit,
    Cancel,
    SubscriptionRequests,
    SubscriptionRequestText,
    Approve,
    Deny,
    RosterChangeFailed,
    ErrNotXmpp,
    RenameContact,
    RemoveContact,
    ContactNewName,
    Save,
    ConfirmRemoveContact,
    ErrSaslKeysDoNotFit,
    ErrNoResponse,
    ErrSocketClosed,
    ErrSendTooLong,
    ErrJidEmptyLocalpart,
    ErrJidEmptyDomain,
    ErrJidEmptyResource,
    ErrJidTooLong,
    ErrJidForbiddenCharacter,
    ErrJidInvalidDomain,
    ErrRedirectForeignHost,
    MessageRequests,
    MessageRequestExplained,
    AcceptRequest,
    DeleteRequest,
    JumpToLatest,
    MessageNotDelivered,
    MessageUnconfirmed,
    Reconnect,
    RetryingIn,
    StatePending,
    LoadingHistory,
    HistoryStart,
    StateSent,
    StateReceived,
    StateDisplayed,
    SignInAgain,
    DeliveryNoRecipient,
    DeliveryTimeout,
    DeliveryNotAllowed,
    DeliveryRefused,
    Rooms,
    BrowseRooms,
    RoomService,
    ListRooms,
    FilterRooms,
    SortRooms,
    SortByName,
    SortByOccupants,
    RoomsFailed,
    NoRooms,
    NoRoomService,
    JoinRoomTitle,
    RoomAddress,
    Nickname,
    RoomPassword,
    Join,
    Joining,
    Occupants,
    LeaveRoom,
    ChangeNick,
    NewNick,
    Invite,
    InviteAddress,
    SendInvite,
    Bookmark,
    Bookmarked,
    RoomCreated,
    InvitesYou,
    AcceptInvitation,
    DeclineInvitation,
    RoomLeft,
    RoomKicked,
    RoomBanned,
    RoomDestroyed,
    RoomNotAMember,
    RoomShutdown,
    RoomConnectionLost,
    JoinNotAService,
    JoinSuggestion,
    JoinPasswordRequired,
    JoinBanned,
    JoinNotFound,
    JoinMembersOnly,
    JoinNickConflict,
    JoinAs,
    JoinFull,
    JoinNoAnswer,
    JoinRefused,
    RoomRefused,
    FeaturePassword,
    FeatureMembersOnly,
    FeatureModerated,
    FeaturePersistent,
    FeatureLogged,
    PrivateMessage,
    NoSubject,
    ChangeSubject,
    RoleModerator,
    RoleVisitor,
    Invitations,
    OfferedRooms,
    Bookmarks,
    ErrNotLoaded,
    PrivateTo,
    Menu,
    BackToRoom,
    EditMessage,
    Edited,
    EditingMessage,
    CancelEdit,
    SendPrivately,
    RenameBookmark,
    BookmarkName,
    Today,
    Yesterday,
    QuickSwitch,
    QuickSwitchShort,
    QuickSwitchPlaceholder,
    QuickSwitchNothing,
    QuickSwitchHelp,
    KindChat,
    KindRoom,
    KindContact,
    MessagesLog,
    UpdateReady,
    UpdateReload,
    NotifyMenu,
    NotifyEnable,
    NotifyBlocked,
    NotifyUnsupported,
    NotifyOn,
    NotifyPrivate,
    NotifySound,
    NotifyHiddenBody,
    Details,
    SharingLabel,
    SharingBoth,
    SharingTo,
    SharingFrom,
    SharingNone,
    Devices,
    UnnamedDevice,
    Groups,
    NoGroup,
    NoGroups,
    AddToGroup,
    AddGroupSubmit,
    RemoveFromGroup,
    Block,
    Unblock,
    BlockExplained,
    Blocked,
    BlockedBar,
    LooksLike,
    LookalikeMixed,
    LookalikeCheck,
    BlockedAddresses,
    BlockFailed,
    UnblockFailed,
    StatusText,
    StatusTextPlaceholder,
    ErrRegisterNotOffered,
    ErrRegisterTaken,
    ErrRegisterNotAcceptable,
    ErrRegisterNotAllowed,
    ErrRegisterThrottled,
    ErrRegisterElsewhere,
    ErrRegisterOther,
    PasswordNotChanged,
    AccountNotDeleted,
    NoAccountYet,
    CreateAccount,
    RegisterTitle,
    RegisterSubmit,
    Registering,
    NewPassword,
    BackToSignIn,
    RegisterMoreFields,
    RequiredField,
    AccountSettings,
    ChangePassword,
    PasswordChanged,
    DeleteAccount,
    DeleteAccountWarning,
    DeleteAccountConfirm,
    AccountDeleted,
    RegisterWebsite,
    CloseDialog,
    ProfilePicture,
    ChoosePicture,
    PictureHint,
    PictureSaving,
    PictureSaved,
    PictureNotImage,
    PictureNotSaved,
    NicknameHint,
    SaveNickname,
    NicknameSaved,
    NicknameNotSaved,
    OwnVCardTitle,
    OwnVCardHint,
    SaveOwnVCard,
    OwnVCardSaved,
    OwnVCardNotSaved,
    VCardHeading,
    VCardFullName,
    VCardOrg,
    VCardTitle,
    VCardEmail,
    VCardPhone,
    VCardUrl,
    VCardBirthday,
    VCardLocality,
    VCardCountry,
    VCardAbout,
    VCardEmpty,
    VCardLoading,
}

/// `n` things of kind `what`, in `lang`, with the plural form its rules ask for.
pub fn counted(lang: Lang, what: Counted, n: u64) -> String {
    counted_phrase(lang, what, lang.plural(n)).replace("{n}", &n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_text_in_every_language() {
        for lang in Lang::ALL {
            for &key in Key::ALL {
                assert!(!t(lang, key).trim().is_empty(), "{lang:?} {key:?}");
            }
        }
    }

    #[test]
    fn translations_differ_from_english_where_it_matters() {
        for lang in [Lang::Ru, Lang::Fr] {
            for key in [
                Key::SignIn,
                Key::Password,
                Key::ErrWrongCredentials,
                Key::ErrUnreachable,
            ] {
                assert_ne!(t(lang, key), t(Lang::En, key), "{lang:?} {key:?}");
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_tag("xx"), None);
    }
}
