package claude.code.api.terminal;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The screen a terminal would show for a stream of output bytes: a grid of characters driven by
 * the subset of VT100/xterm control sequences a full-screen TUI such as the Claude CLI uses
 * (cursor positioning, erase, scroll regions, insert/delete, the alternate screen, autowrap).
 * Colours and modes are parsed and ignored. Memory is bounded: the grid, a fixed number of
 * scrollback lines, and a fixed parameter array (string sequences such as OSC titles are skipped,
 * never buffered).
 *
 * <p>Why a grid and not an ANSI-stripped tail: the TUI redraws in place and even separates words
 * with cursor moves ({@code ESC[<n>G}), so only an interpreter yields readable text.
 *
 * <p>Thread-safe: the PTY reader feeds it while error reporting and the admin page read it.
 */
public final class TerminalScreen {
    private static final int MAX_PARAMS = 32;

    private final int scrollbackLimit;
    private final ArrayDeque<String> scrollback = new ArrayDeque<>();
    private int columns;
    private int rows;
    private int[][] main;
    private int[][] alternate;
    private int[][] grid; // main or alternate
    private int row, col;
    private boolean wrapPending;
    private int top, bottom; // scroll region, inclusive
    private int savedRow, savedCol;

    // parser state
    private enum State { GROUND, ESCAPE, ESCAPE_INTERMEDIATE, CSI, OSC, OSC_ESCAPE, STRING, STRING_ESCAPE }

    private State state = State.GROUND;
    private final int[] params = new int[MAX_PARAMS];
    private int paramCount;
    private boolean paramStarted;
    private char privateMarker;
    // UTF-8 decoding across feed() calls
    private int utf8CodePoint, utf8Remaining;

    public TerminalScreen(int columns, int rows) {
        this(columns, rows, 200);
    }

    public TerminalScreen(int columns, int rows, int scrollbackLimit) {
        if (columns < 1 || rows < 1) {
            throw new IllegalArgumentException("screen size must be at least 1x1, got " + columns + "x" + rows);
        }
        this.columns = columns;
        this.rows = rows;
        this.scrollbackLimit = Math.max(0, scrollbackLimit);
        this.main = blank(rows, columns);
        this.alternate = blank(rows, columns);
        this.grid = main;
        this.bottom = rows - 1;
    }

    public synchronized int columns() {
        return columns;
    }

    public synchronized int rows() {
        return rows;
    }

    /** Interprets {@code len} bytes of output from {@code off}; a sequence may continue in the next call. */
    public synchronized void feed(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int b = bytes[i] & 0xFF;
            if (utf8Remaining > 0) {
                if ((b & 0xC0) == 0x80) {
                    utf8CodePoint = utf8CodePoint << 6 | (b & 0x3F);
                    if (--utf8Remaining == 0) {
                        accept(utf8CodePoint);
                    }
                    continue;
                }
                utf8Remaining = 0;
                accept(0xFFFD);
            }
            if (b < 0x80) {
                accept(b);
            } else if (b >= 0xC2 && b <= 0xDF) {
                utf8CodePoint = b & 0x1F;
                utf8Remaining = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                utf8CodePoint = b & 0x0F;
                utf8Remaining = 2;
            } else if (b >= 0xF0 && b <= 0xF4) {
                utf8CodePoint = b & 0x07;
                utf8Remaining = 3;
            } else {
                accept(0xFFFD);
            }
        }
    }

    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /** The visible screen: one line per row, trailing spaces and trailing blank rows removed. */
    public synchronized String text() {
        StringBuilder out = new StringBuilder();
        int last = rows - 1;
        while (last >= 0 && rowText(grid[last]).isEmpty()) last--;
        for (int r = 0; r <= last; r++) {
            out.append(rowText(grid[r]));
            if (r < last) out.append('\n');
        }
        return out.toString();
    }

    /** Lines scrolled off the top of the main screen, oldest first, then the visible screen. */
    public synchronized String textWithScrollback() {
        StringBuilder out = new StringBuilder();
        for (String line : scrollback) out.append(line).append('\n');
        return out.append(text()).toString();
    }

    /** Changes the size, keeping the top-left content (what the CLI redraws after SIGWINCH anyway). */
    public synchronized void resize(int newColumns, int newRows) {
        if (newColumns < 1 || newRows < 1) {
            throw new IllegalArgumentException("screen size must be at least 1x1, got " + newColumns + "x" + newRows);
        }
        boolean onAlternate = grid == alternate;
        main = copyInto(main, newRows, newColumns);
        alternate = copyInto(alternate, newRows, newColumns);
        grid = onAlternate ? alternate : main;
        columns = newColumns;
        rows = newRows;
        top = 0;
        bottom = rows - 1;
        row = Math.min(row, rows - 1);
        col = Math.min(col, columns - 1);
        wrapPending = false;
    }

    // ---- parser -------------------------------------------------------------------------------

    private void accept(int c) {
        switch (state) {
            case GROUND -> ground(c);
            case ESCAPE -> escape(c);
            case ESCAPE_INTERMEDIATE -> {
                if (c < 0x20 || c > 0x2F) state = State.GROUND; // ESC ( B and the like: charset choice, ignored
            }
            case CSI -> csi(c);
            case OSC -> {
                if (c == 0x07) state = State.GROUND;
                else if (c == 0x1B) state = State.OSC_ESCAPE;
            }
            case OSC_ESCAPE -> state = c == '\\' ? State.GROUND : State.OSC;
            case STRING -> {
                if (c == 0x1B) state = State.STRING_ESCAPE;
            }
            case STRING_ESCAPE -> state = c == '\\' ? State.GROUND : State.STRING;
        }
    }

    private void ground(int c) {
        switch (c) {
            case 0x1B -> enter(State.ESCAPE);
            case '\r' -> {
                col = 0;
                wrapPending = false;
            }
            case '\n', 0x0B, 0x0C -> lineFeed();
            case '\b' -> {
                if (col > 0) col--;
                wrapPending = false;
            }
            case '\t' -> {
                col = Math.min(columns - 1, (col / 8 + 1) * 8);
                wrapPending = false;
            }
            default -> {
                if (c >= 0x20 && c != 0x7F) print(c);
            }
        }
    }

    private void enter(State next) {
        state = next;
        paramCount = 0;
        paramStarted = false;
        privateMarker = 0;
        Arrays.fill(params, 0);
    }

    private void escape(int c) {
        state = State.GROUND;
        switch (c) {
            case '[' -> enter(State.CSI);
            case ']' -> enter(State.OSC);
            case 'P', '_', '^', 'X' -> enter(State.STRING); // DCS, APC, PM, SOS: skipped to ST
            case '7' -> saveCursor();
            case '8' -> restoreCursor();
            case 'D' -> lineFeed();
            case 'E' -> {
                col = 0;
                lineFeed();
            }
            case 'M' -> reverseIndex();
            case 'c' -> reset();
            default -> {
                if (c >= 0x20 && c <= 0x2F) state = State.ESCAPE_INTERMEDIATE;
            }
        }
    }

    private void csi(int c) {
        if (c >= '0' && c <= '9') {
            if (paramCount == 0) paramCount = 1;
            int i = paramCount - 1;
            params[i] = (int) Math.min(99_999, params[i] * 10L + (c - '0'));
            paramStarted = true;
        } else if (c == ';' || c == ':') {
            if (paramCount == 0) paramCount = 1;
            if (paramCount < MAX_PARAMS) paramCount++;
        } else if (c >= '<' && c <= '?') {
            privateMarker = (char) c;
        } else if (c >= 0x20 && c <= 0x2F) {
            // intermediate bytes (e.g. "CSI ? 2026 $ p"): keep collecting
        } else if (c >= 0x40 && c <= 0x7E) {
            state = State.GROUND;
            dispatch((char) c);
        } else if (c == 0x1B) {
            enter(State.ESCAPE);
        } else if (c < 0x20) {
            ground(c); // C0 controls act even inside a sequence
        } else {
            state = State.GROUND;
        }
    }

    private int param(int i, int fallback) {
        return i < paramCount && params[i] != 0 ? params[i] : fallback;
    }

    private void dispatch(char command) {
        if (privateMarker == '?') {
            if (command == 'h' || command == 'l') setPrivateModes(command == 'h');
            return;
        }
        if (privateMarker != 0) {
            return; // CSI > ... / CSI < ... / CSI = ...: queries and keyboard protocols, nothing on screen
        }
        int n = param(0, 1);
        switch (command) {
            case 'A' -> moveTo(row - n, col);
            case 'B', 'e' -> moveTo(row + n, col);
            case 'C', 'a' -> moveTo(row, col + n);
            case 'D' -> moveTo(row, col - n);
            case 'E' -> moveTo(row + n, 0);
            case 'F' -> moveTo(row - n, 0);
            case 'G', '`' -> moveTo(row, n - 1);
            case 'd' -> moveTo(n - 1, col);
            case 'H', 'f' -> moveTo(param(0, 1) - 1, param(1, 1) - 1);
            case 'J' -> eraseDisplay(param(0, 0));
            case 'K' -> eraseLine(param(0, 0));
            case 'X' -> fill(row, col, Math.min(columns, col + n));
            case 'P' -> deleteChars(n);
            case '@' -> insertChars(n);
            case 'L' -> insertLines(n);
            case 'M' -> deleteLines(n);
            case 'S' -> scrollUp(top, bottom, n);
            case 'T' -> scrollDown(top, bottom, n);
            case 'r' -> setScrollRegion(param(0, 1) - 1, param(1, rows) - 1);
            case 's' -> saveCursor();
            case 'u' -> restoreCursor();
            default -> { } // SGR (m), device queries (n, c), modes (h, l): nothing to draw
        }
    }

    private void setPrivateModes(boolean set) {
        for (int i = 0; i < Math.max(1, paramCount); i++) {
            int mode = params[i];
            if (mode == 1049 || mode == 1047 || mode == 47) {
                if (set && grid != alternate) {
                    if (mode == 1049) saveCursor();
                    grid = alternate;
                    clear(alternate);
                } else if (!set && grid == alternate) {
                    grid = main;
                    if (mode == 1049) restoreCursor();
                }
                wrapPending = false;
            }
        }
    }

    // ---- screen operations ----------------------------------------------------------------------

    private void print(int codePoint) {
        int width = CharWidth.of(codePoint);
        if (width == 0) {
            return; // combining marks, joiners, variation selectors: no cell of their own
        }
        if (wrapPending || col + width > columns) {
            col = 0;
            lineFeed();
        }
        grid[row][col] = codePoint;
        if (width == 2 && col + 1 < columns) {
            grid[row][col + 1] = WIDE_TAIL;
        }
        col += width;
        if (col >= columns) {
            col = columns - 1;
            wrapPending = true;
        }
    }

    /** The cell covered by the right half of a double-width character. */
    private static final int WIDE_TAIL = -1;

    private static String rowText(int[] cells) {
        int end = cells.length;
        while (end > 0 && (cells[end - 1] == ' ' || cells[end - 1] == WIDE_TAIL)) end--;
        StringBuilder line = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            if (cells[i] != WIDE_TAIL) {
                line.appendCodePoint(cells[i]);
            }
        }
        return line.toString();
    }

    private void lineFeed() {
        wrapPending = false;
        if (row == bottom) {
            scrollUp(top, bottom, 1);
        } else if (row < rows - 1) {
            row++;
        }
    }

    private void reverseIndex() {
        wrapPending = false;
        if (row == top) {
            scrollDown(top, bottom, 1);
        } else if (row > 0) {
            row--;
        }
    }

    private void moveTo(int r, int c) {
        row = Math.clamp(r, 0, rows - 1);
        col = Math.clamp(c, 0, columns - 1);
        wrapPending = false;
    }

    private void scrollUp(int from, int to, int n) {
        n = Math.min(n, to - from + 1);
        for (int i = 0; i < n; i++) {
            int[] gone = grid[from];
            if (grid == main && from == 0 && scrollbackLimit > 0) {
                if (scrollback.size() == scrollbackLimit) scrollback.removeFirst();
                scrollback.addLast(rowText(gone));
            }
            System.arraycopy(grid, from + 1, grid, from, to - from);
            Arrays.fill(gone, ' ');
            grid[to] = gone;
        }
    }

    private void scrollDown(int from, int to, int n) {
        n = Math.min(n, to - from + 1);
        for (int i = 0; i < n; i++) {
            int[] gone = grid[to];
            System.arraycopy(grid, from, grid, from + 1, to - from);
            Arrays.fill(gone, ' ');
            grid[from] = gone;
        }
    }

    private void insertLines(int n) {
        if (row >= top && row <= bottom) scrollDown(row, bottom, n);
        col = 0;
        wrapPending = false;
    }

    private void deleteLines(int n) {
        if (row >= top && row <= bottom) scrollUp(row, bottom, n);
        col = 0;
        wrapPending = false;
    }

    private void deleteChars(int n) {
        int[] line = grid[row];
        n = Math.min(n, columns - col);
        System.arraycopy(line, col + n, line, col, columns - col - n);
        Arrays.fill(line, columns - n, columns, ' ');
        wrapPending = false;
    }

    private void insertChars(int n) {
        int[] line = grid[row];
        n = Math.min(n, columns - col);
        System.arraycopy(line, col, line, col + n, columns - col - n);
        Arrays.fill(line, col, col + n, ' ');
        wrapPending = false;
    }

    private void eraseDisplay(int mode) {
        switch (mode) {
            case 0 -> {
                fill(row, col, columns);
                for (int r = row + 1; r < rows; r++) fill(r, 0, columns);
            }
            case 1 -> {
                for (int r = 0; r < row; r++) fill(r, 0, columns);
                fill(row, 0, col + 1);
            }
            case 2, 3 -> clear(grid);
            default -> { }
        }
        wrapPending = false;
    }

    private void eraseLine(int mode) {
        switch (mode) {
            case 0 -> fill(row, col, columns);
            case 1 -> fill(row, 0, col + 1);
            case 2 -> fill(row, 0, columns);
            default -> { }
        }
        wrapPending = false;
    }

    private void fill(int r, int from, int to) {
        Arrays.fill(grid[r], Math.min(from, columns), Math.min(to, columns), ' ');
    }

    private void setScrollRegion(int from, int to) {
        if (from < to && to < rows) {
            top = from;
            bottom = to;
            moveTo(0, 0);
        } else if (paramCount == 0) {
            top = 0;
            bottom = rows - 1;
            moveTo(0, 0);
        }
    }

    private void saveCursor() {
        savedRow = row;
        savedCol = col;
    }

    private void restoreCursor() {
        moveTo(savedRow, savedCol);
    }

    private void reset() {
        clear(main);
        clear(alternate);
        grid = main;
        top = 0;
        bottom = rows - 1;
        moveTo(0, 0);
    }

    private static void clear(int[][] g) {
        for (int[] line : g) Arrays.fill(line, ' ');
    }

    private static int[][] blank(int rows, int columns) {
        int[][] g = new int[rows][columns];
        clear(g);
        return g;
    }

    private static int[][] copyInto(int[][] old, int rows, int columns) {
        int[][] g = blank(rows, columns);
        for (int r = 0; r < Math.min(rows, old.length); r++) {
            System.arraycopy(old[r], 0, g[r], 0, Math.min(columns, old[r].length));
        }
        return g;
    }
}
