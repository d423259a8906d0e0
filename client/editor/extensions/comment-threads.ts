import { Extension } from '@tiptap/core';
import * as comments from '../../../shared/model/comments.js';
import type { ThreadStatus } from '../../../shared/schema/negotiation.js';
import { actFor } from '../../negotiation/actions.js';
import { NEGOTIATION_ORIGIN } from '../negotiation-origin.js';
import { negotiationOf } from './negotiation.js';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    commentThreads: {
      /** Opens a thread on a paragraph with its first message. */
      addCommentThread: (paragraphId: string, text: string) => ReturnType;
      replyToThread: (threadId: string, text: string) => ReturnType;
      /** Its author changes a message. */
      editComment: (threadId: string, messageId: string, text: string) => ReturnType;
      /** Its author deletes a message (a placeholder stays, so the replies still read in order). */
      deleteComment: (threadId: string, messageId: string) => ReturnType;
      setThreadStatus: (threadId: string, status: ThreadStatus) => ReturnType;
    };
  }
}

/**
 * Comment threads, hung on paragraphs, as commands. They write the
 * `comments` map only: a comment is posted, not typed, and stays out of the
 * undo history of the text (see negotiation-undo.ts).
 */
export const CommentThreads = Extension.create({
  name: 'commentThreads',

  addCommands() {
    return {
      addCommentThread:
        (paragraphId, text) =>
        ({ tr, dispatch, editor }) => {
          if (!dispatch) return true;
          const negotiation = negotiationOf(editor);
          return actFor(negotiation, tr, (actor) => comments.addThread(negotiation.index.doc, { paragraphId, text, actor }, NEGOTIATION_ORIGIN)) !== null;
        },

      replyToThread:
        (threadId, text) =>
        ({ tr, dispatch, editor }) => {
          if (!dispatch) return true;
          const negotiation = negotiationOf(editor);
          return actFor(negotiation, tr, (actor) => comments.reply(negotiation.index.doc, { threadId, text, actor }, NEGOTIATION_ORIGIN)) !== null;
        },

      editComment:
        (threadId, messageId, text) =>
        ({ tr, dispatch, editor }) => {
          if (!dispatch) return true;
          const negotiation = negotiationOf(editor);
          return (
            actFor(negotiation, tr, (actor) => comments.editComment(negotiation.index.doc, { threadId, messageId, text, actor }, NEGOTIATION_ORIGIN)) !== null
          );
        },

      deleteComment:
        (threadId, messageId) =>
        ({ tr, dispatch, editor }) => {
          if (!dispatch) return true;
          const negotiation = negotiationOf(editor);
          return actFor(negotiation, tr, (actor) => comments.deleteComment(negotiation.index.doc, { threadId, messageId, actor }, NEGOTIATION_ORIGIN)) !== null;
        },

      setThreadStatus:
        (threadId, status) =>
        ({ tr, dispatch, editor }) => {
          if (!dispatch) return true;
          const negotiation = negotiationOf(editor);
          return actFor(negotiation, tr, (actor) => comments.setThreadStatus(negotiation.index.doc, { threadId, status, actor }, NEGOTIATION_ORIGIN)) !== null;
        },
    };
  },
});
