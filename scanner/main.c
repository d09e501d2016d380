/* certexam — command line (being written by the lead). */
#include <stdio.h>

int main(void)
{
	fputs("certexam: command line not built yet\n", stderr);
	return 3;
}
