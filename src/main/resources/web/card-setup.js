// Stripe's card element on the add-card page (live mode): the card number goes from the browser to Stripe only.
// The page says what to use in data- attributes (no inline script); on submit the SetupIntent is confirmed and
// only its id (seti_…) is sent to Tollgate, which asks Stripe for the saved card.
(function () {
  var form = document.getElementById('stripe-card-form');
  if (!form || typeof Stripe === 'undefined') return;
  var stripe = Stripe(form.dataset.publishableKey);
  var card = stripe.elements().create('card', { hidePostalCode: true });
  card.mount('#stripe-card');
  var errors = document.getElementById('stripe-card-errors');
  var button = form.querySelector('button[type=submit]');
  form.addEventListener('submit', function (event) {
    if (form.elements.setup_intent.value) return;
    event.preventDefault();
    button.disabled = true;
    stripe.confirmCardSetup(form.dataset.clientSecret, { payment_method: { card: card } }).then(function (result) {
      if (result.error) {
        errors.textContent = result.error.message;
        button.disabled = false;
        return;
      }
      form.elements.setup_intent.value = result.setupIntent.id;
      form.submit();
    });
  });
})();
