import { KeyboardSensor, MouseSensor, TouchSensor, useSensor, useSensors } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';

/**
 * Mouse (after 4 px, so a click on the handle is still a click), touch (press and hold 180 ms on the handle, so a
 * swipe still scrolls the page) and keyboard (Space or Enter picks up, arrows move, Space or Enter drops, Escape
 * cancels).
 */
export function useReorderSensors() {
  return useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 4 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 180, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
}

export const dragInstructions =
  'To move it, press Space or Enter, move it with the arrow keys, and press Space or Enter again to drop it. '
  + 'Escape cancels. On a touch screen, press and hold the handle, then drag.';
