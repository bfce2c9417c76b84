// SPDX-License-Identifier: BSD-2-Clause
/*
 * The TA host program: teed starts one per TA instance as
 *   tahost <ta.so> <control-fd> <cancel-fd> <log>
 * and everything else happens in libtee.
 */
int libtee_host_main(int argc, char **argv);

int main(int argc, char **argv)
{
	return libtee_host_main(argc, argv);
}
