// French. The type makes a missing or misspelt key a type error (npm run
// typecheck, part of make lint).

import type { en } from './en.js';

export const fr: { readonly [K in keyof typeof en]: string } = {
  'editor.label': 'Éditeur de design',
  'stage.label': 'Aperçu 3D',
  'viewer.alt': '{name} en 3D, avec votre design',
  'price.label': 'Prix',
  'price.line': '{zone} : {type}',
  'price.lines': '{zone} : {n} × {type}',

  'zones.label': "Zones d'impression",
  'zones.none': "Ce produit n'a pas de zone d'impression.",
  'zone.size': "Zone d'impression {w} × {h} mm",
  'zone.full': "Cette zone contient au plus {n} calques : supprimez-en un pour en ajouter un autre.",
  'zone.cleared': '{zone} vidée. Annulez avec Ctrl+Z.',

  'canvas.label': 'Zone de design {zone}',
  'canvas.role': 'zone de design',
  'canvas.help':
    "Faites glisser un calque pour le déplacer, sa poignée carrée pour le redimensionner et sa poignée ronde pour le faire pivoter. Au clavier : les flèches déplacent le calque sélectionné de 1 mm (Maj : 10 mm), + et − redimensionnent, [ et ] font pivoter, Suppr supprime, Entrée sélectionne le calque suivant, Échap désélectionne.",

  'tools.label': 'Ajouter à cette zone',
  'tools.addText': 'Ajouter du texte',
  'tools.addImage': 'Ajouter une image',
  'tools.addFill': 'Couleur de fond',
  'tools.reset': 'Réinitialiser la zone',

  'layers.title': 'Calques',
  'layers.label': 'Calques, du haut vers le bas',
  'layers.empty': 'Rien pour le moment : ajoutez du texte ou une image.',
  'layers.up': 'Monter {name}',
  'layers.down': 'Descendre {name}',
  'layers.delete': 'Supprimer {name}',
  'layer.text': 'texte',
  'layer.image': 'image',
  'layer.colour': 'couleur',
  'layer.textNamed': 'Texte « {text} »',
  'layer.imageSized': 'Image {w} × {h} mm',
  'layer.fillNamed': 'Fond {colour}',
  'layer.selected': '{name} sélectionné.',
  'layer.removed': '{name} supprimé. Annulez avec Ctrl+Z.',

  'title.text': 'Texte',
  'title.image': 'Image',
  'title.colour': 'Couleur de fond',
  'props.none': 'Sélectionnez un calque pour le modifier.',
  'props.text': 'Texte',
  'props.font': 'Police',
  'props.size': 'Taille',
  'props.sizeMin': "Le texte s'imprime en {min} pt au moins.",
  'props.colour': 'Couleur',
  'props.align': 'Alignement',
  'props.rotation': 'Angle',
  'props.width': 'Largeur',
  'align.left': 'Gauche',
  'align.center': 'Centre',
  'align.right': 'Droite',

  'text.default': 'Votre texte',
  'text.added': 'Texte ajouté : tapez pour le modifier.',
  'text.count': '{n} caractères sur {max}',
  'text.emptyHint': "Un texte vide n'imprime rien : tapez quelque chose ou supprimez le calque.",
  'text.noFont': "Aucune police n'est disponible pour cette zone.",
  'fill.added': 'Couleur de fond ajoutée.',
  'colour.chosen': '{zone} : {colour}.',

  'image.uploading': 'Envoi de {name}…',
  'image.added': "Image ajoutée : elle s'imprime à {dpi} DPI.",
  'image.addedLow':
    "Image ajoutée, mais elle s'imprime à seulement {dpi} DPI et peut paraître floue : réduisez-la ou utilisez une image plus grande.",
  'image.badType': "Ce fichier n'est pas une image imprimable : utilisez {types}.",
  'image.tooBig': 'Cette image est trop lourde : {max} Mo au plus.',
  'image.tooManyPixels': 'Cette image est trop grande ({w} × {h} pixels) : 8192 pixels de côté au plus.',
  'image.lowDPI':
    "Cette image est trop petite pour une impression nette : {dpi} DPI alors qu'il en faut au moins {min}. Utilisez une image d'au moins {w} × {h} pixels.",
  'image.unreadable': 'Cette image est illisible : elle est peut-être endommagée.',
  'image.failed': "L'image n'a pas été ajoutée : {reason}",
  'image.wait': "Trop d'images à la fois : réessayez dans {seconds} s.",
  'image.tooWide': "{max} mm de large au plus : au-delà, elle s'imprimerait sous {dpi} DPI.",
  'image.dpi': "S'imprime à {dpi} DPI.",
  'image.dpiLow': "S'imprime à {dpi} DPI : elle peut paraître floue.",

  'key.moved': 'Déplacé à {x}, {y} mm.',
  'key.bigger': 'Plus grand.',
  'key.smaller': 'Plus petit.',
  'key.rotated': 'Pivoté à {deg}°.',

  'history.undo': 'Annuler',
  'history.redo': 'Rétablir',
  'history.undone': 'Annulé.',
  'history.redone': 'Rétabli.',

  'preview.failed': "L'aperçu d'impression n'a pas pu être dessiné : vérifiez votre connexion.",
  'preview.slow': 'Aperçus en pause pendant {seconds} s.',

  'save.name': 'Nom du design',
  'save.button': 'Enregistrer',
  'save.saved': 'Enregistré',
  'save.saving': 'Enregistrement…',
  'save.done': 'Design enregistré (version {n}).',
  'save.failed': "Le design n'a pas été enregistré : {reason}",
  'design.opened': 'Design « {name} » ouvert.',

  'cart.button': 'Ajouter au panier',
  'cart.added': 'Ajouté au panier à {price}.',

  'ar.button': 'Voir en RA',
  'ar.title': 'Voir chez vous',
  'ar.preparing': 'Préparation de la vue en réalité augmentée…',
  'ar.pending': 'Préparation de votre modèle 3D… quelques secondes.',
  'ar.failed': "La vue en réalité augmentée n'est pas disponible : {reason}",
  'ar.scan': 'Scannez ce code avec votre téléphone pour voir votre design chez vous.',
  'ar.qrAlt': 'QR code de la page de réalité augmentée',
  'ar.orOpen': 'Ou ouvrez la page sur cet appareil :',
  'ar.open': 'Ouvrir la vue en réalité augmentée',
  'dialog.close': 'Fermer',

  'resume.text': 'Reprendre votre dernier design, « {name} » ({date}) ?',
  'resume.continue': 'Reprendre votre dernier design',
  'resume.new': 'En commencer un nouveau',

  'error.load': "Le personnalisateur n'a pas pu se charger : {reason}",
  'error.model': "Le modèle 3D n'a pas pu être affiché.",
  'error.reopen': "Votre design n'a pas pu être ouvert : {reason}",
  'error.linkGone': "ce lien n'ouvre plus de design",
};
