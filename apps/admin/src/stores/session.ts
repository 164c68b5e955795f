import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { trpc } from '../api/trpc';

type Me = NonNullable<Awaited<ReturnType<typeof trpc.auth.me.query>>>;

/** The signed-in admin (or nobody). The session itself is an HttpOnly cookie the API sets. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<Me | null>(null);
  const loaded = ref(false);
  /** Set when the API said the session is gone, so the login page can say why. */
  const expired = ref(false);

  async function load(): Promise<Me | null> {
    user.value = await trpc.auth.me.query();
    loaded.value = true;
    return user.value;
  }

  async function login(email: string, password: string): Promise<void> {
    await trpc.auth.login.mutate({ email, password });
    expired.value = false;
    await load();
  }

  async function logout(): Promise<void> {
    try {
      await trpc.auth.logout.mutate();
    } finally {
      user.value = null;
    }
  }

  function expire(): void {
    if (user.value !== null) expired.value = true;
    user.value = null;
  }

  return {
    user,
    loaded,
    expired,
    signedIn: computed(() => user.value !== null),
    load,
    login,
    logout,
    expire,
  };
});
