// The new-event form: "Alamat (slug)" follows the title ("Bimtek Satu Data 2026" → bimtek-satu-data-2026)
// until the committee types an address of its own; emptying the field lets it follow the title again.
(() => {
  const title = document.getElementById('title');
  const slug = document.getElementById('slug');
  if (!title || !slug) return;

  // Lower-case ASCII letters and digits joined by single hyphens, as the form's rule asks; at most 80.
  const slugify = (text) => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, 80).replace(/-+$/, '');

  let typedByHand = slug.value.trim() !== '' && slug.value !== slugify(title.value);
  slug.addEventListener('input', () => { typedByHand = slug.value.trim() !== ''; });
  title.addEventListener('input', () => {
    if (!typedByHand) slug.value = slugify(title.value);
  });
})();
