/**
 * Values the clusters share. Every one is a placeholder: replace it, run `npm run synth`, commit.
 */

/** The Git repository Flux pulls (this repository, where you push it). */
export const GIT_URL = 'https://github.com/example/homelab';

/** The branch Flux follows. */
export const GIT_BRANCH = 'main';

/** Domain every hostname of the estate is under. */
export const DOMAIN = 'homelab.example.net';

/**
 * age recipients SOPS files are encrypted to (`age-keygen -y ~/.config/sops/age/keys.txt`). The
 * placeholder is a valid key whose payload spells "replaceme": nothing decrypts until you change it.
 */
export const AGE_RECIPIENTS = ['age1replacemereplacemereplacemereplacemereplacemereplacq6pn0et'];
