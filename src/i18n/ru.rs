//! Russian catalog.

use super::Key::{self, *};

pub(super) fn text(key: Key) -> &'static str {
    match key {
        Tagline => "Общение по XMPP прямо в браузере.",
        SignInTitle => "Вход",
        Address => "Адрес",
        AddressPlaceholderFull => "user@example.org",
        AddressPlaceholderUser => "имя пользователя",
        Password => "Пароль",
        Advanced => "Дополнительно",
        WebSocketUrl => "Адрес WebSocket",
        WebSocketUrlHint => "Необязательно. Принимаются только зашифрованные адреса wss://.",
        SignIn => "Войти",
        SigningIn => "Вход…",
        Language => "Язык",
        ConfigLoading => "Загрузка настроек…",
        StateConnecting => "Подключение",
        StateOnline => "В сети",
        StateReconnecting => "Переподключение",
        StateOffline => "Не в сети",
        MyStatus => "Мой статус",
        ShowAvailable => "Доступен",
        ShowAway => "Отошёл",
        ShowDnd => "Не беспокоить",
        ShowXa => "Давно отсутствую",
        ShowUnavailable => "Не в сети",
        Logout => "Выйти",
        Chats => "Беседы",
        NoChats => "Бесед пока нет.",
        Contacts => "Контакты",
        FilterContacts => "Поиск контактов",
        NoContacts => "Список контактов пуст.",
        NoMatches => "Нет подходящих контактов.",
        Unread => "непрочитанных",
        Back => "Назад",
        PickConversation => "Выберите контакт или беседу, чтобы начать общение.",
        NoMessages => "Сообщений пока нет. Поздоровайтесь!",
        Typing => "печатает…",
        MessageInput => "Сообщение",
        MessagePlaceholder => "Напишите сообщение…",
        Send => "Отправить",
        Dismiss => "Закрыть",
        MessageFailed => "Сообщение не удалось доставить",
        Notifications => "Уведомления",
        MissingPassword => "Введите пароль.",
        ErrWrongCredentials => "Неверный адрес или пароль. Проверьте их и попробуйте снова.",
        ErrAuthFailed => "Сервер отклонил вход",
        ErrSaslInvalidPassword => "Пароль содержит недопустимые символы.",
        ErrSaslInvalidUsername => "Имя пользователя содержит недопустимые символы.",
        ErrSaslProtocol => "Сервер прислал некорректное сообщение аутентификации",
        ErrSaslNonce => "Ответ сервера при аутентификации не соответствует запросу. Попробуйте позже.",
        ErrSaslIterations => "Сервер запросил небезопасное число раундов хеширования пароля",
        ErrSaslSignature => {
            "Сервер не смог доказать, что знает ваш пароль: возможно, это не ваш сервер. Не повторяйте попытку, пока администратор не проверит его."
        }
        ErrSaslServer => "Сервер отклонил вход",
        ErrNoMechanism => "Сервер не предлагает ни одного способа входа, безопасного для Parley. Предложено",
        ErrStream => "Сервер закрыл соединение",
        ErrFrameTooLarge => "Сервер прислал сообщение больше допустимого, и Parley отключился (байт)",
        ErrTimeout => "Сервер не ответил вовремя. Проверьте подключение и попробуйте снова.",
        ErrBindFailed => "Сервер отказался начать сеанс",
        ErrProtocol => "Сервер нарушил протокол",
        ErrConnectionLost => "Соединение с сервером потеряно. Войдите снова.",
        ErrRedirect => "Сервер перенаправил соединение на",
        ErrRedirectRefused => "Сервер попросил переподключиться к адресу, который Parley не принимает.",
        ErrTooManyRedirects => "Сервер перенаправил соединение больше одного раза; Parley прекратил попытки.",
        ErrUnreachable => "Сервер недоступен. Проверьте адрес и сеть, затем попробуйте снова.",
        ErrAddressEmpty => "Введите адрес.",
        ErrAddressMissingDomain => "Введите полный адрес, например user@example.org.",
        ErrAddressWrongDomain => "Здесь могут входить только адреса этого домена",
        ErrAddressMissingLocalpart => "В адресе нужно имя пользователя перед @.",
        ErrAddressInvalid => "Это неправильный адрес",
        ErrUrlInsecure => "Незашифрованные соединения ws:// запрещены. Используйте адрес wss://.",
        ErrUrlNotWebSocket => "Это не адрес WebSocket; используйте wss://. Указана схема",
        ErrUrlMalformed => "Адрес WebSocket записан неверно",
        ErrInsecurePage => {
            "Страница загружена без защиты (не по https), поэтому Parley не будет отправлять с неё пароль. Откройте её по https."
        }
        ErrConfigInvalid => "Файл config.json этого сайта некорректен; попросите администратора исправить его",
        ErrConfigUrl => "В файле config.json этого сайта указан непригодный websocket_url.",
        ErrConfigEmptyDomain => "В файле config.json этого сайта пустое поле",
        ErrDiscoveryNotFound => {
            "Не удалось найти адрес WebSocket этого сервера. Укажите его в разделе «Дополнительно» (wss://…)."
        }
        ErrDiscoveryOnlyInsecure => "Этот сервер предлагает только незашифрованные соединения ws://, а Parley их не принимает.",
        ErrDiscoveryNoWebSocket => {
            "Этот сервер не поддерживает XMPP через WebSocket. Укажите адрес в разделе «Дополнительно»."
        }
        ErrSendEmpty => "Сообщение пустое.",
        ErrSendNotOnline => "Нет подключения: сообщение не отправлено.",
        ErrSendInvalidText => "Сообщение нельзя отправить",
        ErrEntropy => "Браузер не предоставляет безопасных случайных чисел, поэтому безопасный вход невозможен.",
        ErrBrowser => "Браузер отклонил соединение",
    }
}
