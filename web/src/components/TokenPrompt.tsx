import { useState } from 'react';

/** Shown when the API answers 401: it runs with API_TOKEN and this browser has not got it yet. */
export function TokenPrompt({ onSubmit }: { onSubmit: (token: string) => void }) {
  const [token, setToken] = useState('');
  return (
    <form
      className="card token-prompt"
      onSubmit={(e) => {
        e.preventDefault();
        if (token.trim()) onSubmit(token.trim());
      }}
    >
      <h2>This API needs a token</h2>
      <p>Paste the API token (the API_TOKEN the server was started with). It is kept in this browser only.</p>
      <label>
        <span className="visually-hidden">API token</span>
        <input className="input" type="password" value={token} onChange={(e) => setToken(e.target.value)} placeholder="API token" aria-label="API token" />
      </label>
      <button type="submit" className="btn btn-primary">
        Use token
      </button>
    </form>
  );
}
