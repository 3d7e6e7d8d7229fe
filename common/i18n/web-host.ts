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
