// What the loopback web host says when it refuses a request before any method runs.
import { defineCatalog } from './translate';

export const webHostRefusals = defineCatalog({
  en: {
    forbidden_token: 'This address needs the token printed when Kontor started. Open the full link again.',
    forbidden_host: 'Kontor only answers on 127.0.0.1 or localhost.',
    forbidden_origin: 'Requests from other websites are refused.',
    forbidden_remote: 'Kontor only answers this computer.',
  },
  fr: {
    forbidden_token: 'Cette adresse exige le jeton affiché au démarrage de Kontor. Rouvrez le lien complet.',
    forbidden_host: 'Kontor ne répond que sur 127.0.0.1 ou localhost.',
    forbidden_origin: 'Les requêtes venant d’autres sites sont refusées.',
    forbidden_remote: 'Kontor ne répond qu’à cet ordinateur.',
  },
  de: {
    forbidden_token:
      'Diese Adresse braucht das beim Start von Kontor angezeigte Token. Öffnen Sie den vollständigen Link.',
    forbidden_host: 'Kontor antwortet nur auf 127.0.0.1 oder localhost.',
    forbidden_origin: 'Anfragen von anderen Websites werden abgelehnt.',
    forbidden_remote: 'Kontor antwortet nur diesem Computer.',
  },
});

// What `kontor web` (and `npm start` in the browser) says when the host is up. The link itself
// goes on a line of its own, so that it is easy to copy and scripts can find it.
export const webHostStart = defineCatalog({
  en: {
    open_link: 'Open this link in your browser:',
    database: 'Database: {{file}}',
    stop: 'Press Ctrl+C to stop Kontor.',
    port_taken: 'Port {{wanted}} is taken (by another program?); Kontor now listens on port {{port}}.',
    browser_opened: 'Opening Kontor in your browser…',
  },
  fr: {
    open_link: 'Ouvrez ce lien dans votre navigateur :',
    database: 'Base de données : {{file}}',
    stop: 'Appuyez sur Ctrl+C pour arrêter Kontor.',
    port_taken:
      'Le port {{wanted}} est occupé (par un autre programme ?) ; Kontor écoute maintenant sur le port {{port}}.',
    browser_opened: 'Ouverture de Kontor dans votre navigateur…',
  },
  de: {
    open_link: 'Öffnen Sie diesen Link in Ihrem Browser:',
    database: 'Datenbank: {{file}}',
    stop: 'Drücken Sie Strg+C, um Kontor zu beenden.',
    port_taken:
      'Port {{wanted}} ist belegt (durch ein anderes Programm?); Kontor lauscht jetzt auf Port {{port}}.',
    browser_opened: 'Kontor wird in Ihrem Browser geöffnet …',
  },
});
