import { defineMessages } from '../define';

export default defineMessages({
  ja: {
    title: 'ログイン',
    email: 'メールアドレス',
    password: 'パスワード',
    submit: 'ログイン',
    logout: 'ログアウト',
    signedInAs: '{email} でログイン中',
    loggedOut: 'ログアウトしました',
    required: '{field}を入力してください',
  },
  en: {
    title: 'Sign in',
    email: 'Email address',
    password: 'Password',
    submit: 'Sign in',
    logout: 'Sign out',
    signedInAs: 'Signed in as {email}',
    loggedOut: 'You have signed out',
    required: 'Enter the {field}',
  },
});
