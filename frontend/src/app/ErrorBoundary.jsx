import { Component } from 'react';

/** Last line of defence: a rendering bug shows a message, not a blank page. */
export class ErrorBoundary extends Component {
  state = { error: null };

  static getDerivedStateFromError(error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="alert alert-error crash">
        <div className="alert-body">
          <strong className="alert-title">Something went wrong.</strong>
          <span>{this.state.error.message}</span>
        </div>
        <button type="button" className="button button-small" onClick={() => window.location.reload()}>
          Reload the page
        </button>
      </div>
    );
  }
}
