import { defineMessages } from '../define';

export default defineMessages({
  ja: {
    title: 'TODO',
  },
  en: {
    title: 'TODO',
  },
});
