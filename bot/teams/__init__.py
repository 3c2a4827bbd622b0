"""panelbot on Microsoft Teams: the only package that imports botbuilder.

botbuilder-python has reached end of support; keeping every Bot Framework import here
means a move to the Microsoft 365 Agents SDK touches this package only.

* ``app``: assembly; ``auth``: JWT in / token out from settings; ``endpoint``:
  ``POST /api/messages`` (with the invoke-response workaround);
* ``bot``: routing of messages, installs and invokes; ``commands``, ``loops``,
  ``scorecards``, ``decisions``: the handlers, over the shared ``flows``;
* ``sender``, ``unreachable``: proactive posts for the delivery ledger;
* ``render``, ``cards``, ``dialogs``, ``pickers``, ``outgoing``: Adaptive Cards (pure);
* ``manifest``, ``icons``: the Teams app package.
"""
